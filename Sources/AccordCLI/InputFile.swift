import AccordKit
import Foundation
import PlaybookSpec
import SurveyCSV

/// A kind of file named on the command line, with the most of it Accord will read.
struct InputFile {
  /// What the file holds, as messages name it: `playbook`, `survey answers`.
  var what: String
  var limit: Int

  static let playbook = InputFile(what: "playbook", limit: Playbook.maximumSize)
  static let surveyAnswers = InputFile(what: "survey answers", limit: SurveyCSV.maximumSize)
  static let roster = InputFile(what: "roster", limit: SurveyCSV.maximumSize)
  /// A scan or photo of a signed page, a PDF: only hashed, never kept, so the limit is only
  /// there to stop a wrong file (`/dev/zero`) from being read for ever.
  static let evidence = InputFile(what: "evidence", limit: 32 << 20)

  /// The file's bytes, or a `FileProblem` that says why not.
  ///
  /// Never more than `limit`: a regular file over it is refused before it is read, and a
  /// stream (a pipe, `/dev/zero`) is read only up to it, so a wrong file can neither fill
  /// the memory nor keep the command reading for ever.
  func read(_ path: String) throws -> Data {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw FileProblem(path: path, problem: "no such file", status: .noInput, code: "no-such-file")
    }
    guard !isFolder.boolValue else {
      throw FileProblem(
        path: path, problem: "is a folder, not a \(what) file", status: .noInput, code: "not-a-file")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw FileProblem(
        path: path, problem: "cannot read the \(what) file", status: .noInput, code: "unreadable-file")
    }
    defer { try? handle.close() }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if attributes?[.type] as? FileAttributeType == .typeRegular,
      let size = attributes?[.size] as? Int, size > limit
    {
      throw tooLarge(path, "is \(size) bytes, more")
    }
    let data: Data
    do {
      data = try handle.read(upToCount: limit + 1) ?? Data()
    } catch {
      throw FileProblem(
        path: path, problem: "cannot read the \(what) file: \(error)", status: .noInput,
        code: "unreadable-file")
    }
    guard data.count <= limit else { throw tooLarge(path, "is longer") }
    if what == Self.surveyAnswers.what || what == Self.roster.what, let spreadsheet = Self.spreadsheet(data) {
      throw FileProblem(
        path: path,
        problem: "is a spreadsheet (\(spreadsheet)), not CSV: open it and save it as CSV UTF-8 "
          + "(Excel: File > Save As > \"CSV UTF-8 (Comma delimited)\"; LibreOffice: File > Save As, "
          + "\"Text CSV\", character set UTF-8), then import the .csv file",
        status: .dataError, code: "spreadsheet-not-csv")
    }
    return data
  }

  /// The kind of spreadsheet workbook `data` is, by its first bytes: an .xlsx or .ods is a
  /// ZIP archive, an .xls a Compound File. Nil for anything else, text included.
  static func spreadsheet(_ data: Data) -> String? {
    if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "an Excel .xlsx or OpenDocument .ods workbook" }
    if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "an Excel .xls workbook" }
    return nil
  }

  /// A playbook too large is a playbook diagnostic, as `validate` reports every problem
  /// with a playbook; any other file is a file problem.
  private func tooLarge(_ path: String, _ size: String) -> any Error {
    let limit = "than the limit of \(describeLimit(limit))"
    guard what == Self.playbook.what else {
      return FileProblem(
        path: path, problem: "the file \(size) \(limit)", status: .dataError, code: "file-too-large")
    }
    let location = SourceLocation(file: path, line: 1, column: 1)
    return PlaybookError([Diagnostic("the playbook \(size) \(limit)", at: location)])
  }
}
