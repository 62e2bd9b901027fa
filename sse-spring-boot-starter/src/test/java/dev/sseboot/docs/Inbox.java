package dev.sseboot.docs;

import dev.sseboot.core.EventChannel;
import dev.sseboot.core.TopicNames;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseTopicAuthorizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;

import static org.springframework.security.config.Customizer.withDefaults;

// tag::inbox[]
@Component
class Inbox {
	@SseEndpoint(path = "/inbox/{user}", topic = "inbox.{user}")
	void inbox(EventChannel channel, @PathVariable String user) {
	}
}

@Configuration
class InboxSecurity {
	@Bean
	SecurityFilterChain security(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests(r -> r.anyRequest().authenticated()).httpBasic(withDefaults()).build();
	}

	@Bean                                           // alice may read inbox.alice, and no one else's
	SseTopicAuthorizer ownInboxOnly() {
		return (principal, topic, endpoint, request) -> SseTopicAuthorizer.Decision.of(!topic.startsWith("inbox.")
				|| (principal != null && topic.equals("inbox." + TopicNames.escape(principal.getName()))));
	}
}
// publish from anywhere: broadcaster.publish("inbox." + TopicNames.escape(user), SseEvent.of("mail", mail));
// end::inbox[]
