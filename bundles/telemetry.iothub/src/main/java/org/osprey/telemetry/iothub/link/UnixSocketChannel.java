package org.osprey.telemetry.iothub.link;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import com.microsoft.azure.sdk.iot.device.hsm.UnixDomainSocketChannel;

/**
 * The IoT Edge workload API's socket ({@code unix:///var/run/iotedge/workload.sock}), through the JDK's
 * own Unix domain sockets (Java 16+): no native library to ship.
 */
final class UnixSocketChannel implements UnixDomainSocketChannel {

    private SocketChannel channel;

    @Override
    public void open(String address) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(address));
    }

    @Override
    public void write(byte[] output) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(output);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public int read(byte[] inputBuffer) throws IOException {
        return channel.read(ByteBuffer.wrap(inputBuffer));
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
