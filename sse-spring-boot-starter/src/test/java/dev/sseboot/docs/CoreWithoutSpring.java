package dev.sseboot.docs;

import java.time.Duration;

import dev.sseboot.core.ChannelSettings;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseTransport;

class CoreWithoutSpring {

	// tag::core[]
	void stream(SseTransport transport, Heartbeat heartbeat) {  // the starter implements SseTransport over SseEmitter
		DefaultEventChannel channel = DefaultEventChannel.builder(transport)
				.settings(new ChannelSettings(256, OverflowPolicy.BLOCK, Duration.ofSeconds(5)))
				.heartbeat(heartbeat, Duration.ofSeconds(15))
				.build();
		channel.onClose(reason -> System.out.println("stream ended: " + reason));
		channel.start();                        // the web adapter starts it once the response may be committed

		channel.send(SseEvent.builder().name("tick").id("7").data("a\nb").build());
		// event: tick
		// id: 7
		// data: a
		// data: b
		//
		channel.close();                        // ends the stream after everything accepted was written
	}
	// end::core[]

}
