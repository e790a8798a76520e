package dev.statusmessenger.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.StreamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DispatcherTest {

  @Test
  void deliversEachStreamInSeqOrderWhateverTheProducers() throws Exception {
    StreamStore store =
        new StreamStore(MessengerConfig.of(Map.of("status-messenger.history-size", "10")));
    Dispatcher dispatcher = new Dispatcher(3, 1_000_000);
    Map<String, List<Long>> delivered = new ConcurrentHashMap<>();
    int streams = 20;
    int perProducer = 500;
    int producers = 4;
    CountDownLatch all = new CountDownLatch(streams * perProducer * producers);
    dispatcher.start(
        m -> {
          delivered.computeIfAbsent(m.stream(), k -> new ArrayList<>()).add(m.seq());
          all.countDown();
        },
        Thread::new);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < perProducer; i++) {
                  for (int s = 0; s < streams; s++) {
                    store.append("s" + s, new MessageDraft.Status("x"), dispatcher::dispatch);
                  }
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(all.await(30, TimeUnit.SECONDS), "delivered " + (streams * perProducer * producers - all.getCount()));
    for (int s = 0; s < streams; s++) {
      List<Long> seqs = delivered.get("s" + s);
      assertEquals(perProducer * producers, seqs.size());
      for (int i = 0; i < seqs.size(); i++) {
        assertEquals(i + 1, seqs.get(i), "stream s" + s + " out of order at " + i);
      }
    }
    dispatcher.stop(5, TimeUnit.SECONDS);
  }

  @Test
  void stopDeliversWhatWasAlreadyQueued() throws Exception {
    Dispatcher dispatcher = new Dispatcher(2, 1000);
    List<Long> delivered = new ArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    dispatcher.start(
        m -> {
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          synchronized (delivered) {
            delivered.add(m.seq());
          }
        },
        Thread::new);
    StreamStore store = new StreamStore(MessengerConfig.of(Map.of()));
    for (int i = 0; i < 50; i++) {
      store.append("one", new MessageDraft.Status("x"), dispatcher::dispatch);
    }
    gate.countDown();
    dispatcher.stop(5, TimeUnit.SECONDS);
    assertEquals(50, delivered.size());
    assertEquals(0, dispatcher.queued());
  }

  @Test
  void messagesQueuedWhileALaneIsBusyAreHandedOverTogetherInOrder() throws Exception {
    Dispatcher dispatcher = new Dispatcher(1, 1000);
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    List<List<Long>> handovers = new ArrayList<>();
    CountDownLatch rest = new CountDownLatch(1);
    dispatcher.start(
        new DeliveryTarget() {
          @Override
          public void deliver(Message m) {
            firstArrived.countDown();
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            handovers.add(List.of(m.seq()));
          }

          @Override
          public void deliverAll(List<Message> messages) {
            handovers.add(messages.stream().map(Message::seq).toList());
            rest.countDown();
          }
        },
        Thread::new);
    StreamStore store = new StreamStore(MessengerConfig.of(Map.of("status-messenger.history-size", "1000")));
    store.append("one", new MessageDraft.Status("x"), dispatcher::dispatch);
    assertTrue(firstArrived.await(5, TimeUnit.SECONDS));
    for (int i = 0; i < 300; i++) {
      store.append(i % 2 == 0 ? "one" : "two", new MessageDraft.Status("x"), dispatcher::dispatch);
    }
    gate.countDown();
    assertTrue(rest.await(5, TimeUnit.SECONDS));
    dispatcher.stop(5, TimeUnit.SECONDS);
    assertEquals(List.of(1L), handovers.get(0));
    assertEquals(256, handovers.get(1).size(), "at most 256 at once");
    assertEquals(301, handovers.stream().mapToInt(List::size).sum(), "every message once");
    assertEquals(0, dispatcher.queued());
    List<Long> all = handovers.stream().flatMap(List::stream).toList();
    // streams alternate from the second message: "one" has odd positions' seqs 2..151, "two" 1..150
    List<Long> one = new ArrayList<>();
    List<Long> two = new ArrayList<>();
    for (int i = 1; i < all.size(); i++) {
      (i % 2 == 1 ? one : two).add(all.get(i));
    }
    for (int i = 0; i < one.size(); i++) {
      assertEquals(i + 2, one.get(i), "stream one in seq order");
    }
    for (int i = 0; i < two.size(); i++) {
      assertEquals(i + 1, two.get(i), "stream two in seq order");
    }
  }

  @Test
  void refusesNewMessagesPastItsQueueLimit() {
    Dispatcher dispatcher = new Dispatcher(1, 3); // not started: nothing drains
    StreamStore store = new StreamStore(MessengerConfig.of(Map.of()));
    for (int i = 0; i < 3; i++) {
      assertTrue(dispatcher.hasCapacity());
      Message m = store.append("s", new MessageDraft.Status("x"), dispatcher::dispatch);
      assertEquals(i + 1, m.seq());
    }
    assertFalse(dispatcher.hasCapacity());
  }
}
