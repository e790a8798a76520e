package dev.statusmessenger.pubsub.google;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import dev.statusmessenger.pubsub.TopicClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
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
  /** The client refuses a total timeout under 10 s; with one attempt only the RPC timeout counts. */
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
    if (emulatorHost != null) {
      emulatorChannel = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().build();
      builder
          .setChannelProvider(
              FixedTransportChannelProvider.create(GrpcTransportChannel.create(emulatorChannel)))
          .setCredentialsProvider(NoCredentialsProvider.create());
    } else {
      emulatorChannel = null;
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

  private static PublishFailure failureOf(Throwable error) {
    if (error instanceof ApiException api) {
      String code = api.getStatusCode().getCode().name();
      return new PublishFailure(code, RETRYABLE.contains(code), error);
    }
    return new PublishFailure(error.getClass().getSimpleName(), false, error);
  }
}
