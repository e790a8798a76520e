package dev.statusmessenger.pubsub;

import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for Pub/Sub (or its emulator): a real gRPC server on loopback, on an ephemeral port,
 * implementing the Publisher service from Google's official protos. It records every publish
 * request the client sends, and answers as told: accept, fail with a status, or hold the call
 * unanswered (a slow server) until released.
 */
public final class FakePubSub implements AutoCloseable {

  /** How to answer one publish call. */
  public sealed interface Answer {
    Answer OK = new Accept();
    Answer HOLD = new Hold();

    static Answer fail(Status.Code code) {
      return new Fail(code);
    }
  }

  record Accept() implements Answer {}

  record Hold() implements Answer {}

  record Fail(Status.Code code) implements Answer {}

  private final List<PublishRequest> requests = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Answer> script = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile Answer otherwise = Answer.OK;
  private final Server server;

  private record Held(PublishRequest request, StreamObserver<PublishResponse> answer) {}

  public FakePubSub() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new PublisherGrpc.PublisherImplBase() {
              @Override
              public void publish(PublishRequest request, StreamObserver<PublishResponse> answer) {
                requests.add(request);
                Answer next = script.poll();
                answer(next == null ? otherwise : next, request, answer);
              }
            })
            .build()
            .start();
  }

  /** {@code 127.0.0.1:port}, as {@code PUBSUB_EMULATOR_HOST} takes it. */
  public String host() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Answers the next calls in this order, then as {@link #otherwise}. */
  public FakePubSub then(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** How calls beyond the script are answered (accepted by default). */
  public FakePubSub otherwise(Answer answer) {
    otherwise = answer;
    return this;
  }

  /** Every publish request received so far, in order. */
  public List<PublishRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** Calls held unanswered right now. */
  public int held() {
    return held.size();
  }

  /** Accepts every held call. */
  public void release() {
    Held call;
    while ((call = held.poll()) != null) {
      accept(call.request(), call.answer());
    }
  }

  private void answer(Answer how, PublishRequest request, StreamObserver<PublishResponse> answer) {
    if (how instanceof Fail fail) {
      answer.onError(Status.fromCode(fail.code()).withDescription("fake failure").asRuntimeException());
    } else if (how instanceof Hold) {
      held.add(new Held(request, answer));
    } else {
      accept(request, answer);
    }
  }

  private void accept(PublishRequest request, StreamObserver<PublishResponse> answer) {
    PublishResponse.Builder response = PublishResponse.newBuilder();
    for (int i = 0; i < request.getMessagesCount(); i++) {
      response.addMessageIds("id-" + ids.incrementAndGet());
    }
    try {
      answer.onNext(response.build());
      answer.onCompleted();
    } catch (RuntimeException cancelled) {
      // the client gave up on this call (deadline): nothing to answer
    }
  }

  /** Waits until the condition holds, failing after 30 s: a bounded wait, not a timing assertion. */
  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Gave up waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
