/**
 * The Java snippets of README.md, each between {@code // tag::name[]} and {@code // end::name[]}, compiled with the
 * tests and held to README's text by {@code ReadmeSnippetsTests}; {@code TickerTests} also runs against the
 * {@code Ticker} snippet.
 */
@NullMarked
package dev.sseboot.docs;

import org.jspecify.annotations.NullMarked;
