# Sourced, from the repository's root, by the run-*.sh scripts: builds sse-benchmarks and the modules it uses,
# writes its class path, and leaves the shell in sse-benchmarks with ROOT (the repository) and CP (the class path).
mvn -B -ntp -q -pl sse-benchmarks -am install -DskipTests
mvn -B -ntp -q -pl sse-benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
ROOT="$PWD"
cd sse-benchmarks
CP="target/classes:$(cat target/classpath.txt)"
