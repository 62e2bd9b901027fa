package dev.sseboot.docs;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

// tag::chat-room[]
@RestController
class ChatRoom {

	private final Broadcaster broadcaster;

	ChatRoom(Broadcaster broadcaster) { this.broadcaster = broadcaster; }

	@SseEndpoint(path = "/rooms/{room}", topic = "room.{room}")
	void join(EventChannel channel, @PathVariable String room) {
		channel.send(SseEvent.of("welcome", room));          // the channel still reaches this one client
	}

	@PostMapping("/rooms/{room}/messages")
	String say(@PathVariable String room, @RequestBody String text) {
		return broadcaster.publish("room." + room, SseEvent.of("chat", text));   // returns the assigned id
	}
}
// end::chat-room[]
