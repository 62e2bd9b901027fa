package dev.sseboot.testsupport;

import java.util.ArrayList;
import java.util.List;

import dev.sseboot.test.SseTestClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real redis-server and instances of the test application (every test endpoint, on Tomcat) in the Redis mode on
 * it, each on a free port: what a multi-node test starts once per class. Closing stops the instances, then Redis.
 */
public final class RedisInstances implements AutoCloseable {

	public final RedisServer redis;

	public final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private RedisInstances(RedisServer redis) {
		this.redis = redis;
	}

	private final List<String> arguments = new ArrayList<>();

	/** Redis and {@code count} instances, each also given {@code arguments} (Spring Boot properties). */
	public static RedisInstances start(int count, String... arguments) throws Exception {
		RedisInstances started = new RedisInstances(RedisServer.start());
		try {
			started.arguments.addAll(List.of("--server.port=0", "--sse.redis.enabled=true",
					"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + started.redis.port,
					"--spring.data.redis.timeout=2s", "--spring.main.banner-mode=off"));
			started.arguments.addAll(List.of(arguments));
			for (int i = 0; i < count; i++) {
				started.startOne();
			}
			return started;
		}
		catch (Exception | Error ex) {
			started.close();
			throw ex;
		}
	}

	/** One more instance with the same arguments; closed with the others (closing it earlier is fine). */
	public ConfigurableApplicationContext startOne() {
		ConfigurableApplicationContext instance = SpringApplication.run(TestApplications.OnTomcat.class,
				this.arguments.toArray(String[]::new));
		this.instances.add(instance);
		return instance;
	}

	public ConfigurableApplicationContext get(int index) {
		return this.instances.get(index);
	}

	/** A client of {@code instance}. */
	public static SseTestClient client(ConfigurableApplicationContext instance) {
		return SseTestClient.local(((WebServerApplicationContext) instance).getWebServer().getPort());
	}

	@Override
	public void close() throws Exception {
		for (ConfigurableApplicationContext instance : this.instances) {
			instance.close();
		}
		this.redis.close();
	}

}
