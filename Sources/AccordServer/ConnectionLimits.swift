import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// What one client may hold of the server: how long it may take to send a request, and how
/// many connections it may keep open at once. Together they keep a slow or greedy client
/// (a body that trickles in a byte at a time, a thousand idle sockets) from keeping
/// everyone else out.
struct ConnectionLimits: Sendable {
  /// How long a connection may take to send a whole request, headers and body, counted
  /// from when the server starts waiting for it (the connection opened, or the answer to
  /// the request before was sent). Past it the request is answered 408 and the connection
  /// closed; an idle connection is closed.
  var requestTime: TimeAmount = .seconds(30)
  /// How many connections one address may hold open; more are closed as they arrive. A
  /// browser opens up to six, and a workshop behind one office address is dozens of
  /// browsers; a thousand idle sockets from one address are not. Nil: no limit (behind a
  /// reverse proxy, every connection comes from the proxy).
  var perAddress: Int? = 256

  /// The channel handlers that enforce the limits, new for each connection, sharing `open`.
  func handlers(_ open: OpenConnections) -> [any RemovableChannelHandler] {
    var handlers: [any RemovableChannelHandler] = [RequestDeadline(limit: requestTime)]
    if let perAddress { handlers.insert(AddressLimit(open: open, limit: perAddress), at: 0) }
    return handlers
  }
}

/// The connections open now, by the peer's address.
final class OpenConnections: Sendable {
  private let counts = NIOLockedValueBox<[String: Int]>([:])

  /// Counts a new connection from `address`; false, counting nothing, when `address`
  /// already holds `limit`.
  func enter(_ address: String, limit: Int) -> Bool {
    counts.withLockedValue { counts in
      let open = counts[address, default: 0]
      guard open < limit else { return false }
      counts[address] = open + 1
      return true
    }
  }

  /// Forgets a connection counted by `enter`.
  func leave(_ address: String) {
    counts.withLockedValue { counts in
      let open = counts[address, default: 1] - 1
      counts[address] = open > 0 ? open : nil
    }
  }

  /// How many connections `address` holds open now.
  func count(_ address: String) -> Int {
    counts.withLockedValue { $0[address, default: 0] }
  }
}

/// Closes a new connection at once when its address already holds as many as it may.
final class AddressLimit: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart

  private let open: OpenConnections
  private let limit: Int
  /// The address counted for this connection, nil when it was not counted.
  private var counted: String?

  init(open: OpenConnections, limit: Int) {
    self.open = open
    self.limit = limit
  }

  func handlerAdded(context: ChannelHandlerContext) {
    // Added once the connection is accepted: its peer is known.
    guard let address = context.channel.remoteAddress?.ipAddress else { return }
    if open.enter(address, limit: limit) {
      counted = address
    } else {
      context.close(promise: nil)
    }
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    // Every handler is removed when the connection closes, whichever side closed it.
    if let counted { open.leave(counted) }
    counted = nil
  }
}

/// Answers 408 and closes the connection when a request is not all in within the limit,
/// counted from when the server began waiting for it; a connection that sends nothing in
/// that time is closed.
///
/// Hummingbird's own idle timeout is reset by every part read, so a body trickling in a
/// byte at a time would hold its connection (and a task) for ever.
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private let limit: TimeAmount
  private var timer: Scheduled<Void>?
  /// A request's head has come and its end not yet.
  private var reading = false
  /// Requests whose answer has not been sent in full.
  private var unanswered = 0
  /// An answer's head has gone out for the request being answered.
  private var answering = false

  init(limit: TimeAmount) {
    self.limit = limit
  }

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { arm(context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    arm(context)
    context.fireChannelActive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    disarm()
  }

  func channelInactive(context: ChannelHandlerContext) {
    disarm()
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head:
      reading = true
      unanswered += 1
      // A request that comes while another is being answered (pipelined) is timed from now.
      if timer == nil { arm(context) }
    case .body:
      break
    case .end:
      reading = false
      disarm()
    }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    switch unwrapOutboundIn(data) {
    case .head:
      answering = true
    case .body:
      break
    case .end:
      answering = false
      unanswered = max(unanswered - 1, 0)
      // Waiting for the next request from now on.
      if unanswered == 0, !reading { arm(context) }
    }
    context.write(data, promise: promise)
  }

  private func arm(_ context: ChannelHandlerContext) {
    disarm()
    let loop = context.eventLoop.assumeIsolatedUnsafeUnchecked()
    timer = loop.scheduleTask(in: limit) { [self] in
      timer = nil
      expire(context)
    }
  }

  private func disarm() {
    timer?.cancel()
    timer = nil
  }

  private func expire(_ context: ChannelHandlerContext) {
    // A request half read, whose answer has not begun: say why the connection closes.
    if reading, !answering {
      let head = HTTPResponse(
        status: .requestTimeout, headerFields: [.connection: "close", .contentLength: "0"])
      context.write(wrapOutboundOut(.head(head)), promise: nil)
      context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
    context.close(promise: nil)
  }
}
