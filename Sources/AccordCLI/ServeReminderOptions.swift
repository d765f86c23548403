import AccordKit
import ArgumentParser

/// `serve --smtp URL [--from ADDRESS] [--remind-at HH:MM]`: the server mails the reminders
/// itself, as `accord remind --smtp` would: once when it starts, then every day at
/// `--remind-at` in the workspace's time zone. It writes nothing but the outbox, and logs one
/// line for each message sent or not sent.
struct ServeReminderOptions: ParsableArguments {
  @OptionGroup var mail: MailOptions
  @Option(
    name: .customLong("remind-at"),
    help: ArgumentHelp(
      "With --smtp, when to mail each day's reminders, in the workspace's time zone (also once at start).",
      valueName: "HH:MM"))
  var remindAt = "07:00"

  func validate() throws {
    guard Self.time(remindAt) != nil else {
      throw ValidationError("--remind-at \(remindAt) is not a time (HH:MM, 00:00 to 23:59)")
    }
  }

  /// Hours and minutes from `HH:MM`.
  static func time(_ text: String) -> (hour: Int, minute: Int)? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
      let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
    else { return nil }
    return (hour, minute)
  }

  /// The daily job the server is to run beside the web application, when `--smtp` asks
  /// for one; nil otherwise.
  func daily() throws -> ServeSettings.DailyReminders? {
    let (relay, from) = try mail.parsed()
    guard let relay, let time = Self.time(remindAt) else { return nil }
    return ServeSettings.DailyReminders(relay: relay, from: from, hour: time.hour, minute: time.minute)
  }
}
