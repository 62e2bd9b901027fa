package dev.sseboot.benchmarks.fanout;

/** How a server under test sends one payload to every connected client. */
@FunctionalInterface
public interface Broadcast {

	void send(String payload);

}
