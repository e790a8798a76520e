package dev.statusmessenger.bench;

import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.cluster.ClusterGrid;
import jakarta.inject.Inject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The benchmark's control socket in the bench build of the WAR (never in the product): mints
 * tokens for the bench sessions {@code b0…}, runs the in-process producer through the public Java
 * API, and reports heap use and which path this node's streams take. Commands: {@code tokens N},
 * {@code produce RATE SECONDS SESSIONS [PRODUCERS]} (PRODUCERS threads, each pacing its share of the
 * rate to its share of the sessions, their schedules staggered so that together they send evenly;
 * 1 by default), {@code mem}, {@code cluster} (answers
 * {@code cluster grid MEMBERS} where the streams are in Payara's data grid, {@code cluster memory 1}
 * where this node runs alone).
 */
@ServerEndpoint("/bench/control")
public class BenchControlEndpoint {

  @Inject StatusMessenger messenger;
  @Inject ClusterGrid grid;

  @OnMessage
  public void command(Session control, String text) throws IOException, NamingException {
    String[] args = text.trim().split(" ");
    switch (args[0]) {
      case "tokens" -> {
        int n = Integer.parseInt(args[1]);
        StringBuilder out = new StringBuilder(n * 80).append("tokens");
        for (int i = 0; i < n; i++) {
          out.append(' ').append(messenger.issueToken("b" + i));
        }
        control.getBasicRemote().sendText(out.toString());
      }
      case "produce" -> {
        int rate = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int sessions = Integer.parseInt(args[3]);
        int producers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        String[] ids = new String[sessions];
        for (int i = 0; i < sessions; i++) {
          ids[i] = "b" + i;
        }
        ThreadFactory threads =
            (ThreadFactory) new InitialContext().lookup("java:comp/DefaultManagedThreadFactory");
        AtomicLongArray total = new AtomicLongArray(3);
        Thread[] started = new Thread[producers];
        long start = System.nanoTime() + 20_000_000L; // every thread started by then
        for (int k = 0; k < producers; k++) {
          long offset = k * 1_000_000_000L / rate; // producer k's first message is k-th in the joint schedule
          int first = k; // producer k sends to sessions k, k + producers, ...
          int share = rate / producers + (k < rate % producers ? 1 : 0);
          int mine = sessions / producers + (k < sessions % producers ? 1 : 0);
          started[k] =
              threads.newThread(
                  () -> {
                    long wait;
                    while ((wait = start + offset - System.nanoTime()) > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    long[] r =
                        Pacer.run(
                            share,
                            seconds,
                            mine,
                            (s, t, i) ->
                                messenger
                                    .to(ids[s * producers + first])
                                    .event("bench", Map.of("t", t, "pad", Pacer.PAD)));
                    for (int j = 0; j < 3; j++) {
                      total.addAndGet(j, r[j]);
                    }
                  });
          started[k].start();
        }
        threads
            .newThread(
                () -> {
                  for (Thread producer : started) {
                    try {
                      producer.join();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                  }
                  reply(control, "produced " + total.get(0) + " " + total.get(1) + " " + total.get(2));
                })
            .start();
      }
      case "cluster" ->
          control
              .getBasicRemote()
              .sendText(grid.isActive() ? "cluster grid " + grid.members() : "cluster memory 1");
      case "mem" -> {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
          System.gc();
        }
        control.getBasicRemote().sendText("mem " + (rt.totalMemory() - rt.freeMemory()));
      }
      default -> control.getBasicRemote().sendText("error unknown command");
    }
  }

  private static void reply(Session control, String text) {
    try {
      control.getBasicRemote().sendText(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
