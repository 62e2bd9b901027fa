package demo;

import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

@SpringBootApplication
public class DemoApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

	@Component
	static class Hello {

		@SseEndpoint("/hello")
		void hello(EventChannel channel) {
			channel.send(SseEvent.of("greeting", "hello, new user"));
			channel.close();
		}

	}

}
