package dev.sseboot.core;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** Runs submitted tasks only when the test says so, on the test's thread. */
class ManualExecutor implements Executor {

	private final Queue<Runnable> tasks = new ArrayDeque<>();

	@Override
	public synchronized void execute(Runnable task) {
		this.tasks.add(task);
	}

	/** Runs tasks until none is left (tasks may submit more). */
	void runAll() {
		Runnable task;
		while ((task = poll()) != null) {
			task.run();
		}
	}

	synchronized int pending() {
		return this.tasks.size();
	}

	private synchronized Runnable poll() {
		return this.tasks.poll();
	}

}
