package dev.sseboot.core;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A step run on an executor one at a time however often it is asked for: a request made while it runs makes it run
 * once more after, never beside. This is how a subscription is called serially (Reactive Streams rule 2.7) off the
 * thread that asks: the step reads what is to be done (a cancel, an amount to request) and does it.
 */
final class SerialTask {

	private final Executor executor;

	private final Runnable step;

	private final AtomicInteger requests = new AtomicInteger();

	SerialTask(Executor executor, Runnable step) {
		this.executor = executor;
		this.step = step;
	}

	/** Runs the step soon, on the executor (here, when it refuses the task). */
	void request() {
		if (this.requests.getAndIncrement() == 0) {
			try {
				this.executor.execute(this::run);
			}
			catch (RejectedExecutionException ex) {
				run();
			}
		}
	}

	private void run() {
		int missed = 1;
		while (true) {
			this.step.run();
			missed = this.requests.addAndGet(-missed);
			if (missed == 0) {
				return;
			}
		}
	}

}
