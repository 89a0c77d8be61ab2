// The Java time-skipping test server (same jars as TEMPORAL_TEST_SERVER_PATH) with its virtual clock
// starting at a chosen instant instead of the machine's "now". Run in Java's single-file source mode:
//   java -cp '<test server lib>/*' time-skipping-server.java <port> <startEpochMillis>
// Tests with hand-derived calendar dates stay valid whatever day they run on.
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

class TimeSkippingServer {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: <port> <startEpochMillis>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    long start = Long.parseLong(args[1]);
    // Time skipping starts locked, as in io.temporal.testserver.TestServer: the SDK unlocks it.
    TestServicesStarter services = new TestServicesStarter(true, start);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  services.close();
                }));
    server.awaitTermination();
  }
}
