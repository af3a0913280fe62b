package id.mppdigital.problems;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.HttpStatus;

/**
 * What a client's connection may cost the server, on the gateway and every service: a connection
 * that sends no (complete) request head within {@code idleTimeout} is closed, a request body that
 * stops arriving for {@code readTimeout} is cut off, and no body may take longer than
 * {@code requestTimeout} as a whole. Without them Reactor Netty holds a half-sent request open
 * indefinitely, and a few hundred slow clients hold every connection.
 * <p>
 * Requests Netty itself refuses before any handler sees them (a request line longer than it
 * accepts: 414; headers too large: 431; a malformed head: 400) are answered with a problem document
 * like every other error, instead of Netty's empty body.
 *
 * @param idleTimeout longest wait for a request on an open connection, before and between requests
 * @param readTimeout longest pause while a request body arrives
 * @param requestTimeout longest time a whole request body may take
 */
@ConfigurationProperties("mpp.http")
public record ConnectionLimits(Duration idleTimeout, Duration readTimeout, Duration requestTimeout)
		implements NettyServerCustomizer {

	public ConnectionLimits {
		idleTimeout = (idleTimeout != null) ? idleTimeout : Duration.ofSeconds(10);
		readTimeout = (readTimeout != null) ? readTimeout : Duration.ofSeconds(10);
		requestTimeout = (requestTimeout != null) ? requestTimeout : Duration.ofSeconds(60);
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.idleTimeout(this.idleTimeout)
			.readTimeout(this.readTimeout)
			.requestTimeout(this.requestTimeout)
			.doOnChannelInit((observer, channel, remote) -> {
				if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
					channel.pipeline().addAfter(NettyPipeline.HttpCodec, "mpp.decodingProblems", DecodingProblems.INSTANCE);
				}
			});
	}

	/** Gives Netty's empty answers to requests it could not decode a problem document. */
	@ChannelHandler.Sharable
	static final class DecodingProblems extends ChannelDuplexHandler {

		static final DecodingProblems INSTANCE = new DecodingProblems();

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			if (msg instanceof FullHttpResponse response && isDecodingFailure(response)) {
				response.release();
				msg = problem(response);
			}
			ctx.write(msg, promise);
		}

		/** How Netty answers a request it could not decode: no body, no type, and the connection closed. */
		private static boolean isDecodingFailure(FullHttpResponse response) {
			int status = response.status().code();
			return (status == 400 || status == 414 || status == 431) && response.content().readableBytes() == 0
					&& !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
					&& response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
		}

		private static FullHttpResponse problem(FullHttpResponse refused) {
			HttpStatus status = HttpStatus.valueOf(refused.status().code());
			String detail = switch (status.value()) {
				case 414 -> "The request line (method, path and query) is longer than this server accepts.";
				case 431 -> "The request's header fields are larger than this server accepts.";
				default -> "The request could not be read as HTTP.";
			};
			String json = "{\"type\":\"" + Problems.TYPE_BASE + Problems.kind(status.value()) + "\",\"title\":\""
					+ status.getReasonPhrase() + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}";
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			FullHttpResponse response = new DefaultFullHttpResponse(refused.protocolVersion(), refused.status(),
					Unpooled.wrappedBuffer(body));
			response.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
				.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
				.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			return response;
		}

	}

}
