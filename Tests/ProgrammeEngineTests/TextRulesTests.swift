import Foundation
import Testing

@testable import ProgrammeEngine

/// What may be recorded as a name or a note (`TextRules`), the engine refusing the rest of
/// what is recorded now while replaying what was stored before, and how stored text is
/// shown (`Shown`).
@Suite("Programme: names and notes")
struct TextRulesTests {
  // MARK: Names

  @Test func aBidiOverrideInANameIsNamedWithItsPosition() throws {
    let problem = try #require(TextRules.nameProblem("sa\u{202E}m"))
    #expect(problem.position == 3)
    #expect(problem.character == "U+202E")
    #expect(problem.description == "has a right-to-left override (U+202E) at character 3")
    #expect(
      Refusal.invalidPerson("sa\u{202E}m").description
        == "person 'sa\\u{202E}m' has a right-to-left override (U+202E) at character 3")
  }

  @Test(arguments: [
    ("a\u{1B}[31mb", 2, "U+001B"), ("al\ni", 3, "U+000A"), ("\u{7}bell", 1, "U+0007"), ("nul\0", 4, "U+0000"),
    ("x\u{85}", 2, "U+0085"), ("sa\u{200B}m", 3, "U+200B"), ("sa\u{200D}m", 3, "U+200D"), ("a\u{2060}", 2, "U+2060"),
    ("\u{FEFF}sam", 1, "U+FEFF"), ("a\u{2066}b", 2, "U+2066"), ("a\u{2069}b", 2, "U+2069"), ("a\u{202A}b", 2, "U+202A"),
    ("a\u{200F}b", 2, "U+200F"), ("a\u{2028}b", 2, "U+2028"), ("a\tb", 2, "U+0009"),
  ])
  func aNameWithAHiddenCharacterIsRefusedAtItsPosition(name: String, position: Int, character: String) throws {
    let problem = try #require(TextRules.nameProblem(name))
    #expect(problem.position == position)
    #expect(problem.character == character)
  }

  @Test(arguments: ["sam", "Zoë Ångström", "Renée O'Neil-Smith", "山田 太郎", "محمد", "a b"])
  func anOrdinaryNameIsAllowed(name: String) {
    #expect(TextRules.nameProblem(name) == nil)
  }

  @Test(arguments: ["", "   ", "\u{3000}"])
  func aBlankNameIsRefused(name: String) throws {
    #expect(try #require(TextRules.nameProblem(name)).kind == .blank)
  }

  // MARK: Notes

  @Test func aNoteMayRunOverLinesAsABrowserOrATerminalSendsThem() {
    #expect(TextRules.noteProblem("first\nsecond") == nil)
    #expect(TextRules.noteProblem("first\r\nsecond\r\n") == nil)
    #expect(TextRules.noteProblem("طبق الخطة\u{200F} (v2)") == nil)
  }

  @Test(arguments: [
    ("ok\u{1B}]0;pwned\u{7}", 3, "U+001B"), ("back\rsigned by sam", 5, "U+000D"), ("a\tb", 2, "U+0009"),
    ("a\u{202E}b", 2, "U+202E"), ("a\u{2067}b", 2, "U+2067"), ("a\0", 2, "U+0000"), ("x\u{9B}2J", 2, "U+009B"),
    ("a\u{2029}b", 2, "U+2029"),
  ])
  func aNoteWithAnyOtherControlIsRefusedAtItsPosition(note: String, position: Int, character: String) throws {
    let problem = try #require(TextRules.noteProblem(note))
    #expect(problem.position == position)
    #expect(problem.character == character)
  }

  @Test func aNoteHoldsAtMost2000Characters() throws {
    #expect(TextRules.noteProblem(String(repeating: "é", count: 2_000)) == nil)
    let problem = try #require(TextRules.noteProblem(String(repeating: "é", count: 2_001)))
    #expect(problem.kind == .tooLong(count: 2_001, limit: 2_000))
    #expect(Refusal.invalidNote(problem).description == "the note is 2001 characters long, the limit is 2000")
    #expect(Refusal.invalidNote(problem).code == "invalid-note")
  }

  // MARK: The engine

  @Test func theEngineRefusesWhatIsRecordedNow() throws {
    var programme = try Sample.started()
    let before = programme
    let refusals: [(Event, String)] = [
      (Sample.event(.completed(milestone: "map"), by: "alice", note: "fine\u{1B}[2J"), "invalid-note"),
      (Sample.event(.completed(milestone: "map"), by: "ali\u{202E}ce"), "invalid-person"),
      (Sample.event(.assigned(role: "czar", person: "ca\u{200B}rol2"), by: "alice"), "invalid-person"),
      (Sample.event(.completed(milestone: "map"), by: "alice", note: String(repeating: "x", count: 2_001)), "invalid-note"),
    ]
    for (event, code) in refusals {
      do throws(Refusal) {
        try programme.apply(event)
        Issue.record("accepted \(event)")
      } catch {
        #expect(error.code == code)
      }
    }
    #expect(programme == before)
    let details = Refusal.invalidPerson("ali\u{202E}ce").details
    #expect(details["position"] == .text("4"))
    #expect(details["character"] == .text("U+202E"))
    try programme.apply(Sample.event(.completed(milestone: "map"), by: "alice", note: "line one\nline two"))
  }

  @Test func aStoredHistoryIsReplayedByTheRulesItWasWrittenUnder() throws {
    // As an older Accord wrote it: a note with an escape and a forged line, and a name
    // with a bidirectional override, in the very first event too.
    let history = [
      Event(.started(client: "acme", name: "Ac\u{202E}me"), by: "al\u{200B}ice", at: Sample.t0, note: "go\u{1B}[31m"),
      Event(.completed(milestone: "map"), by: "al\u{200B}ice", at: Sample.t0.addingTimeInterval(60), note: "ok\r2026 sam signed"),
      Event(.assigned(role: "czar", person: "ca\u{202E}rol"), by: "al\u{200B}ice", at: Sample.t0.addingTimeInterval(120)),
    ]
    let programme = try Programme(playbook: Sample.playbook, history: history)
    #expect(programme.history == history)
    #expect(programme.assignments["czar"] == "ca\u{202E}rol")
  }

  // MARK: Showing stored text

  @Test func storedTextIsShownEscaped() {
    #expect(Shown.name("sa\u{202E}m") == "sa\\u{202E}m")
    #expect(Shown.name("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
    #expect(Shown.name("Zoë") == "Zoë")
    #expect(Shown.noteLines("one\r\ntwo\nthree\u{7}") == ["one", "two", "three\\u{7}"])
    #expect(Shown.noteLines("lone\rreturn") == ["lone\\u{D}return"])
    #expect(Shown.note("reason\n2026-12-06 10:00  sam  signed", indent: "    ") == "reason\n    2026-12-06 10:00  sam  signed")
    #expect(Shown.noteOnOneLine("a\nb") == "a / b")
  }

  /// The one-pass byte check that lets a page or an output through untouched agrees with the
  /// rule it stands for, scalar by scalar.
  @Test func theByteCheckFindsExactlyWhatANoteShowsEscaped() {
    let scalars = (0..<0x3000).compactMap(Unicode.Scalar.init) + [Unicode.Scalar(0xFEFF)!, Unicode.Scalar(0x1F91D)!]
    for scalar in scalars {
      let text = "a" + String(scalar) + "b"
      #expect(Shown.mayHoldHidden(text) == Shown.isHiddenInStoredNote(scalar), "U+\(String(scalar.value, radix: 16))")
    }
    #expect(Shown.mayHoldHidden("a\rb"))
    #expect(!Shown.mayHoldHidden("a\rb", carriageReturn: true))
  }

  // MARK: Hand-over

  @Test func handingOverTheConsultantRoleSaysWhatIsLost() throws {
    let programme = try Sample.started()
    let loss = try #require(programme.handOverLoss(of: "consultant", to: "bob"))
    #expect(loss.hasPrefix("alice will no longer be acme's consultant"))
    #expect(loss.contains("alice cannot take it back"))
    #expect(programme.handOverLoss(of: "czar", to: "bob") == nil)
    #expect(programme.handOverLoss(of: "consultant", to: "alice") == nil)
    let czarToo = try Sample.started(assigning: ["czar": "alice"])
    #expect(try #require(czarToo.handOverLoss(of: "consultant", to: "bob")).contains("alice stays the czar"))
  }
}
