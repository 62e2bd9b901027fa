package dev.sseboot.benchmarks.fanout;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU ticks of a server process, read from {@code /proc}: in all, and without its JIT compiler threads. */
final class ProcessTicks {

	private ProcessTicks() {
	}

	static long cpuTicks(long pid) throws IOException {
		long[] ticks = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
		return ticks[0] + ticks[1];
	}

	/** User and system ticks from a {@code /proc} stat line (of a process or a thread). */
	private static long[] ticks(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return new long[] { Long.parseLong(fields[11]), Long.parseLong(fields[12]) };
	}

	/**
	 * CPU ticks of {@code pid} less those of its JIT compiler threads: what a server spends on its work, without the
	 * compilation of code that a scenario made hot (which runs on for seconds). The process's total, so that threads
	 * that ended (a publisher) still count; servers run with a fixed number of compiler threads
	 * ({@link FanOutBenchmark#FIXED_JIT_THREADS}), so none ends and takes its ticks into that total.
	 */
	static long cpuTicksWithoutJit(long pid) throws IOException {
		long[] ticks = userAndSystemTicksWithoutJit(pid);
		return ticks[0] + ticks[1];
	}

	/** As {@link #cpuTicksWithoutJit(long)}, user and system (kernel) ticks apart. */
	static long[] userAndSystemTicksWithoutJit(long pid) throws IOException {
		long[] jit = new long[2];
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
			for (Path task : tasks) {
				String stat;
				try {
					stat = Files.readString(task.resolve("stat"));
				}
				catch (IOException ex) {
					continue; // the thread ended meanwhile
				}
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
					long[] thread = ticks(stat);
					jit[0] += thread[0];
					jit[1] += thread[1];
				}
			}
		}
		long[] all = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
		return new long[] { all[0] - jit[0], all[1] - jit[1] };
	}

}
