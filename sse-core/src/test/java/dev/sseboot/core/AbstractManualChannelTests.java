package dev.sseboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Channels over a {@link NonBlockingTransport} whose drains and publisher calls run only when the test says
 * ({@link ManualExecutor}), their closes recorded, and every test checked for breaches of the transport contract.
 */
abstract class AbstractManualChannelTests {

	final NonBlockingTransport transport = new NonBlockingTransport();

	final ManualExecutor manual = new ManualExecutor();

	final List<CloseReason> closes = new CopyOnWriteArrayList<>();

	@AfterEach
	void keptTheContract() {
		assertThat(this.transport.violations).isEmpty();
	}

	DefaultEventChannel channel(int bufferSize, OverflowPolicy policy, Duration sendTimeout) {
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport)
			.settings(new ChannelSettings(bufferSize, policy, sendTimeout))
			.executor(this.manual)
			.publisherExecutor(this.manual)
			.build();
		channel.onClose(this.closes::add);
		return channel;
	}

}
