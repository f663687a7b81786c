import Hummingbird
import NIOCore

/// JSON responses built from bytes.
enum JSONResponse {
  static let contentType = "application/json"

  /// A JSON response with `bytes` as its body.
  static func ok(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  /// `{"error": message}` with `status`.
  static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = contentType
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: errorBody(message))))
  }

  /// `{"error": message}`, as bytes.
  static func errorBody(_ message: String) -> [UInt8] {
    var body: [UInt8] = Array(#"{"error":"#.utf8)
    appendString(message, to: &body)
    body.append(UInt8(ascii: "}"))
    return body
  }

  /// Appends `text` as a JSON string.
  static func appendString(_ text: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in text.utf8 {
      switch b {
      case UInt8(ascii: "\""): out += [0x5C, 0x22]
      case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
      case 0x0A: out += [0x5C, UInt8(ascii: "n")]
      case 0x0D: out += [0x5C, UInt8(ascii: "r")]
      case 0x09: out += [0x5C, UInt8(ascii: "t")]
      case 0..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
