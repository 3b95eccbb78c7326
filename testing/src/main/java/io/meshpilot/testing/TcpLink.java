package io.meshpilot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link on loopback between a client and a server that a test can cut and restore, as a network partition
 * would: {@link #cut()} drops every open connection and refuses new ones until {@link #restore()}. Bytes are relayed
 * unchanged by two threads per connection.
 */
public final class TcpLink implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile int targetPort;
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpLink(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::accept, "tcp-link-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Listens on a free loopback port; relays once {@link #to(int)} names the server's port. */
    public static TcpLink open() {
        try {
            TcpLink link = new TcpLink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            link.acceptor.start();
            return link;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public TcpLink to(int serverPort) {
        this.targetPort = serverPort;
        return this;
    }

    /** Drops every connection and refuses new ones. */
    public void cut() {
        synchronized (open) {
            cut = true;
            open.forEach(TcpLink::closeQuietly);
            open.clear();
        }
    }

    public void restore() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (cut || targetPort == 0) {
                closeQuietly(client);
                continue;
            }
            connect(client);
        }
    }

    /** Relays a client to the server; a server that cannot be reached drops the client at once, as a refusal. */
    private void connect(Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        synchronized (open) {
            // A cut while this connection was being made must drop it too.
            if (cut) {
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        relay(client, upstream);
        relay(upstream, client);
    }

    private void relay(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the link was cut or a side closed: drop the pair
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-link-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
