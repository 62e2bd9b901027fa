package dev.sseboot.docs;

import dev.sseboot.core.EventChannel;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseTopicAuthorizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;

// tag::many-topics[]
@Configuration
class Dashboard {

	// one connection on three topics, and one Last-Event-ID that resumes all three
	@SseEndpoint(path = "/rooms/{room}/live", topics = { "room.{room}", "room.{room}.presence", "meters" })
	void live(EventChannel channel, @PathVariable String room) { }

	// the client names the topics: /events?topic=prices.eur&topic=news (each one authorized)
	@SseEndpoint(path = "/events", topicParam = "topic")
	void events(EventChannel channel) { }

	@Bean   // required with topicParam: start-up fails without an SseTopicAuthorizer
	SseTopicAuthorizer publicTopicsOnly() {
		return (principal, topic, endpoint, request) ->
				SseTopicAuthorizer.Decision.of(topic.startsWith("prices.") || topic.equals("news"));
	}
}
// end::many-topics[]
