package dev.sseboot.core;

import java.util.ArrayList;
import java.util.List;

/** A run timer whose tasks run only when the test says so: each with the delay it was scheduled with. */
class ManualTimer implements InMemorySseRuns.Timer {

	private final List<Runnable> tasks = new ArrayList<>();

	@Override
	public synchronized void schedule(Runnable task, long delayNanos) {
		this.tasks.add(task);
	}

	/** Runs the tasks scheduled so far (as if their delays had passed); those they schedule wait for the next call. */
	void runDue() {
		List<Runnable> due;
		synchronized (this) {
			due = new ArrayList<>(this.tasks);
			this.tasks.clear();
		}
		due.forEach(Runnable::run);
	}

	synchronized int pending() {
		return this.tasks.size();
	}

}
