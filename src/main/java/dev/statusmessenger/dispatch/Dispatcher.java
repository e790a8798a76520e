package dev.statusmessenger.dispatch;

import dev.statusmessenger.stream.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This dispatcher sits between producers and sockets, shaped like a message-driven consumer:
 * producers enqueue an ordered message and return; a fixed set of consumer lanes delivers. All
 * messages of one stream go through one lane, so they are delivered in {@code seq} order.
 */
public final class Dispatcher {

  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  /** At most this many queued messages are handed to the connections at once. */
  private static final int HANDOVER = 256;

  private final Lane[] lanes;
  private final AtomicInteger queued = new AtomicInteger();
  private final int queueLimit;
  private volatile boolean running;

  public Dispatcher(int laneCount, int queueLimit) {
    this.queueLimit = queueLimit;
    this.lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) {
      lanes[i] = new Lane(i);
    }
  }

  /** Starts the consumer lanes, on threads from the given factory (the container's, in a server). */
  public synchronized void start(DeliveryTarget target, ThreadFactory threads) {
    if (running) {
      return;
    }
    running = true;
    for (Lane lane : lanes) {
      lane.start(target, threads);
    }
  }

  /** Delivers what is already queued, then stops the lanes. */
  public synchronized void stop(long timeout, TimeUnit unit) {
    running = false;
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (Lane lane : lanes) {
      lane.stop(deadline);
    }
  }

  public boolean isRunning() {
    return running;
  }

  /** Whether the dispatcher runs and every lane's consumer thread is alive. */
  public boolean isHealthy() {
    if (!running) {
      return false;
    }
    for (Lane lane : lanes) {
      Thread t = lane.thread;
      if (t == null || !t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Whether there is room for another message; producers are refused (503) where there is not. */
  public boolean hasCapacity() {
    return queued.get() < queueLimit;
  }

  /** Messages accepted but not yet handed to their connections. */
  public int queued() {
    return queued.get();
  }

  /**
   * Enqueues an ordered message for delivery. Called while its stream holds its order, so lane
   * queues receive each stream's messages in {@code seq} order.
   */
  public void dispatch(Message message) {
    queued.incrementAndGet();
    lanes[Math.floorMod(message.stream().hashCode(), lanes.length)].queue.add(message);
  }

  private final class Lane implements Runnable {
    private final int index;
    private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private DeliveryTarget target;
    private Thread thread;
    private volatile boolean stopping;

    Lane(int index) {
      this.index = index;
    }

    void start(DeliveryTarget target, ThreadFactory threads) {
      this.target = target;
      this.stopping = false;
      this.thread = threads.newThread(this);
      thread.setName("status-messenger-dispatch-" + index);
      thread.setDaemon(true);
      thread.start();
    }

    void stop(long deadlineNanos) {
      stopping = true;
      Thread t = thread;
      if (t == null) {
        return;
      }
      t.interrupt();
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      List<Message> handover = new ArrayList<>(HANDOVER);
      while (true) {
        Message first;
        try {
          first = stopping ? queue.poll() : queue.take();
        } catch (InterruptedException e) {
          if (stopping) {
            continue; // drain what is left, then stop
          }
          Thread.currentThread().interrupt();
          return;
        }
        if (first == null) {
          return;
        }
        // what queued up meanwhile goes along: a connection sends it together (one batch frame)
        handover.add(first);
        queue.drainTo(handover, HANDOVER - 1);
        queued.addAndGet(-handover.size());
        try {
          if (handover.size() == 1) {
            target.deliver(first);
          } else {
            target.deliverAll(handover);
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Delivery of messages failed; the lane goes on", e);
        } finally {
          handover.clear();
        }
      }
    }
  }
}
