package dev.sseboot.benchmarks.fanout;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One load-client process of {@link ClusterScaleBenchmark}: opens {@code count} streams of {@code /stream} on one
 * instance from one loopback source address, prints {@code opened}, then answers {@code deliver <n>} on its standard
 * input (wait until every stream has n events, or nothing arrives for 5 s) with
 * {@code result <connections> <delivered> <expected> <lost> <duplicates> <ended by server>}, and writes every
 * latency it recorded (microseconds, as 4-byte ints) to {@code samples-file}. A separate process because one process
 * may hold at most 20,000 open files here. Usage: {@code ScaleClient <port> <count> <source-address> <samples-file>}.
 */
public final class ScaleClient {

	private ScaleClient() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		int count = Integer.parseInt(args[1]);
		InetAddress source = InetAddress.getByName(args[2]);
		Path samples = Path.of(args[3]);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		try (LoadClient client = LoadClient.connect(port, (i) -> "/stream", count, Duration.ofMinutes(5),
				new InetAddress[] { source })) {
			System.out.println("opened");
			String line;
			while ((line = in.readLine()) != null && !line.equals("quit")) {
				if (line.startsWith("deliver ")) {
					long expected = Long.parseLong(line.substring("deliver ".length()).trim());
					client.awaitDelivery(expected, Duration.ofSeconds(5), Duration.ofSeconds(60));
					LoadClient.Result result = client.result(expected);
					write(samples, client.latenciesMicros());
					System.out.println("result " + result.connections() + " " + result.delivered() + " "
							+ result.expected() + " " + result.lost() + " " + result.duplicates() + " "
							+ result.endedByServer());
				}
			}
		}
	}

	private static void write(Path file, int[] latencies) throws IOException {
		try (OutputStream out = Files.newOutputStream(file);
				DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
			for (int latency : latencies) {
				data.writeInt(latency);
			}
		}
	}

}
