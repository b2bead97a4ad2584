package dev.latchkey.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ServerSocketFactory;

/**
 * Creates server sockets that keep each open accepted connection under its accept order, counted from
 * 0, so that {@link #resetOnClose(int)} can make one connection end with a TCP reset (RST).
 *
 * <p>MockWebServer accepts connections on one thread and numbers them in accept order from 0, which
 * is the {@code connectionIndex} of their requests. So the index of a request names its socket here.
 * Thread-safe.
 */
final class ResettableServerSocketFactory extends ServerSocketFactory {

  private final Map<Integer, TrackedSocket> openConnections = new ConcurrentHashMap<>();

  /**
   * Makes the connection with this index send a TCP RST, and discard unsent data, when it is closed,
   * by setting {@code SO_LINGER} to 0.
   *
   * @throws IllegalStateException if no open connection has this index
   * @throws SocketException if the option cannot be set
   */
  void resetOnClose(int connectionIndex) throws SocketException {
    TrackedSocket socket = openConnections.get(connectionIndex);
    if (socket == null) {
      throw new IllegalStateException("No open connection has index " + connectionIndex);
    }
    socket.setSoLinger(true, 0);
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new TrackingServerSocket();
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return createServerSocket(port, 50, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return createServerSocket(port, backlog, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
    ServerSocket socket = new TrackingServerSocket();
    socket.bind(new InetSocketAddress(address, port), backlog);
    return socket;
  }

  private final class TrackingServerSocket extends ServerSocket {

    /** The index of the next accepted connection; used only by the accepting thread. */
    private int nextIndex;

    TrackingServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      if (isClosed()) {
        throw new SocketException("Socket is closed");
      }
      if (!isBound()) {
        throw new SocketException("Socket is not bound yet");
      }
      TrackedSocket socket = new TrackedSocket(nextIndex++);
      implAccept(socket);
      openConnections.put(socket.index, socket);
      return socket;
    }
  }

  private final class TrackedSocket extends Socket {

    private final int index;

    TrackedSocket(int index) {
      this.index = index;
    }

    @Override
    public synchronized void close() throws IOException {
      openConnections.remove(index, this);
      super.close();
    }
  }
}
