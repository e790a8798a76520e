package dev.statusmessenger.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of the server, so a test can cut every connection at once — an
 * abrupt network drop, with no close frame — and see clients reconnect through it.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Set<Socket> frozen = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;

  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Cuts every proxied connection at once; new connections are still accepted. */
  public void dropAll() {
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /**
   * Silently stops every proxied connection: bytes are swallowed in both directions and nothing is
   * closed, as when a laptop sleeps or a NAT forgets the flow (half-open TCP). Only a heartbeat can
   * tell. New connections are proxied normally.
   */
  public void freezeAll() {
    frozen.addAll(open);
    open.clear();
  }

  @Override
  public void close() {
    running = false;
    closeQuietly(listener);
    dropAll();
    for (Socket s : frozen) {
      closeQuietly(s);
    }
  }

  private void accept() {
    while (running) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(server);
        pipe(client, server);
        pipe(server, client);
      } catch (IOException e) {
        if (!running) {
          return;
        }
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (!frozen.contains(from)) {
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // the other side went away, or the test cut the connection
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
