package dev.statusmessenger.pubsub.google;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import dev.statusmessenger.pubsub.TopicClient;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TopicClient} on Google's official Pub/Sub client ({@code google-cloud-pubsub}): batching
 * as the client does by default, one attempt per call (the exporter retries), credentials from
 * Application Default Credentials, or a plaintext channel without credentials to an emulator.
 * Loaded by name only when the export is on; the only class that sees Google's types.
 */
public final class GoogleTopicClient implements TopicClient {

  /** The codes Google's client itself retries a publish on. */
  private static final Set<String> RETRYABLE =
      Set.of("ABORTED", "CANCELLED", "DEADLINE_EXCEEDED", "INTERNAL", "RESOURCE_EXHAUSTED",
          "UNAVAILABLE", "UNKNOWN");
  /** The least total timeout the client takes; calls get the publish timeout from {@link #deadline}. */
  private static final Duration MIN_TOTAL_TIMEOUT = Duration.ofSeconds(10);

  private final Publisher publisher;
  private final ManagedChannel emulatorChannel; // null with the real service

  /**
   * Builds the publisher; called reflectively by {@code PubSubExport}.
   *
   * @param emulatorHost {@code host:port} of an emulator, or null for the real service
   */
  public GoogleTopicClient(String project, String topicId, String emulatorHost, Duration publishTimeout) {
    RetrySettings oneAttempt =
        RetrySettings.newBuilder()
            .setMaxAttempts(1)
            .setInitialRpcTimeoutDuration(publishTimeout)
            .setMaxRpcTimeoutDuration(publishTimeout)
            .setRpcTimeoutMultiplier(1.0)
            .setTotalTimeoutDuration(
                publishTimeout.compareTo(MIN_TOTAL_TIMEOUT) < 0 ? MIN_TOTAL_TIMEOUT : publishTimeout)
            .build();
    Publisher.Builder builder = Publisher.newBuilder(TopicName.of(project, topicId)).setRetrySettings(oneAttempt);
    ClientInterceptor deadline = deadline(publishTimeout);
    if (emulatorHost != null) {
      emulatorChannel = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().intercept(deadline).build();
      builder
          .setChannelProvider(
              FixedTransportChannelProvider.create(GrpcTransportChannel.create(emulatorChannel)))
          .setCredentialsProvider(NoCredentialsProvider.create());
    } else {
      emulatorChannel = null;
      builder.setChannelProvider( // the client's default channel, plus the deadline
          TopicAdminSettings.defaultGrpcTransportProviderBuilder()
              .setChannelsPerCpu(1)
              .setInterceptorProvider(() -> List.of(deadline))
              .build());
    }
    try {
      publisher = builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("The Pub/Sub publisher could not be created", e);
    }
  }

  @Override
  public CompletionStage<String> publish(byte[] data, Map<String, String> attributes) {
    PubsubMessage message =
        PubsubMessage.newBuilder().setData(ByteString.copyFrom(data)).putAllAttributes(attributes).build();
    CompletableFuture<String> answer = new CompletableFuture<>();
    ApiFutures.addCallback(
        publisher.publish(message),
        new ApiFutureCallback<String>() {
          @Override
          public void onSuccess(String messageId) {
            answer.complete(messageId);
          }

          @Override
          public void onFailure(Throwable error) {
            answer.completeExceptionally(failureOf(error));
          }
        },
        MoreExecutors.directExecutor());
    return answer;
  }

  @Override
  public void shutdown(Duration wait) {
    try {
      publisher.shutdown();
      publisher.awaitTermination(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (emulatorChannel != null) {
        emulatorChannel.shutdownNow();
      }
    }
  }

  /**
   * Gives each call the publish timeout as its deadline. The client's own timeout for a single
   * attempt is its total timeout, which it refuses under 10 s.
   */
  private static ClientInterceptor deadline(Duration timeout) {
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(
          MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        Deadline ours = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        Deadline theirs = options.getDeadline();
        return next.newCall(method, theirs == null || ours.isBefore(theirs) ? options.withDeadline(ours) : options);
      }
    };
  }

  private static PublishFailure failureOf(Throwable error) {
    if (error instanceof ApiException api) {
      String code = api.getStatusCode().getCode().name();
      return new PublishFailure(code, RETRYABLE.contains(code), error);
    }
    return new PublishFailure(error.getClass().getSimpleName(), false, error);
  }
}
