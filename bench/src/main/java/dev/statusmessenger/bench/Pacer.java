package dev.statusmessenger.bench;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-process producer every benchmark target runs (the product's bench probe, the Tyrus peer;
 * the Node peer has the same loop in JavaScript): {@code rate} messages a second for a while, each
 * to the next session in turn, each carrying its scheduled send time so clients measure latency
 * from when it was due, not from when a late producer got round to it.
 */
public final class Pacer {

  /** The shortest sleep between sends: at higher rates, several messages go out per wake-up. */
  private static final long TICK_NANOS = 1_000_000;

  /** Padding that makes an event frame about 200 bytes. */
  public static final String PAD = "x".repeat(64);

  /** Sends one message. */
  public interface Sink {
    void send(int session, long scheduledEpochMicros, long index) throws Exception;
  }

  private Pacer() {}

  /**
   * Runs the producer on the calling thread.
   *
   * @return {messages sent, messages refused, total nanoseconds spent inside {@code send}}
   */
  public static long[] run(int rate, double seconds, int sessions, Sink sink) {
    long total = (long) (rate * seconds);
    Instant now = Instant.now();
    long epochMicrosAtStart = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    long startNanos = System.nanoTime();
    long sent = 0;
    long refused = 0;
    long callNanos = 0;
    for (long i = 0; i < total; i++) {
      long dueOffset = i * 1_000_000_000L / rate;
      long wait = startNanos + dueOffset - System.nanoTime();
      if (wait > 0) {
        // Sleeps in ticks of at least 1 ms and sends whatever fell due meanwhile at once; latency
        // counts from when each message was due. The producer shares the server's one core with
        // the threads that write its sockets: spinning until each message was due took that core
        // from them, and a wake-up per message (20,000/s) cost it too.
        LockSupport.parkNanos(Math.max(wait, TICK_NANOS));
      }
      long before = System.nanoTime();
      try {
        sink.send((int) (i % sessions), epochMicrosAtStart + dueOffset / 1000, i);
        sent++;
      } catch (Exception e) {
        refused++;
      }
      callNanos += System.nanoTime() - before;
    }
    return new long[] {sent, refused, callNanos};
  }

  /** A ~200-byte event frame as the product encodes it, for the peers. */
  public static String frame(long scheduledEpochMicros, long seq) {
    return "{\"type\":\"event\",\"event_type\":\"bench\",\"data\":{\"t\":" + scheduledEpochMicros
        + ",\"pad\":\"" + PAD + "\"},\"seq\":" + seq + ",\"ts\":\"" + Instant.now() + "\"}";
  }
}
