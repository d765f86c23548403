import Testing

@testable import AccordRemote

struct RemoteFailureTests {
  @Test func anAnswerIsTheServersAndAnUnreachableServerIsNot() {
    #expect(RemoteFailure.answered(status: 409, code: "gate-closed", message: "", body: .init()).isAnswer)
    #expect(!RemoteFailure.unreachable(reason: "connection refused").isAnswer)
  }
}
