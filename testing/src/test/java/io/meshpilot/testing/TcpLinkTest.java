package io.meshpilot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback; a read that would hang fails on its timeout instead. */
class TcpLinkTest {

    private static final int READ_TIMEOUT_MS = 10_000;

    @Test
    void relaysBothWaysUntilCutAndAgainOnceRestored() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TcpLink link = TcpLink.open().to(server.getLocalPort())) {
            try (Socket client = connect(link); Socket served = server.accept()) {
                client.getOutputStream().write('a');
                assertThat(served.getInputStream().read()).isEqualTo('a');
                served.getOutputStream().write('b');
                assertThat(client.getInputStream().read()).isEqualTo('b');

                link.cut();
                assertThat(readOrEnd(client.getInputStream())).as("the cut drops the connection").isEqualTo(-1);
            }
            try (Socket refused = connect(link)) {
                assertThat(readOrEnd(refused.getInputStream())).as("refused while cut").isEqualTo(-1);
            }
            link.restore();
            try (Socket client = connect(link); Socket served = server.accept()) {
                client.getOutputStream().write('c');
                assertThat(served.getInputStream().read()).isEqualTo('c');
            }
        }
    }

    @Test
    void aServerThatCannotBeReachedDropsTheClientAtOnce() throws IOException {
        int nothingListens;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            nothingListens = gone.getLocalPort();
        }
        try (TcpLink link = TcpLink.open().to(nothingListens); Socket client = connect(link)) {
            OutputStream out = client.getOutputStream();
            out.write('a');

            assertThat(readOrEnd(client.getInputStream())).isEqualTo(-1);
        }
    }

    private static Socket connect(TcpLink link) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), link.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /** The next byte, or -1 at the end of the stream or when the other side reset the connection. */
    private static int readOrEnd(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException e) {
            return -1;
        }
    }
}
