// libFuzzer harness for the NDJSON event parser: the input is one line of
// the pre-filter's stream. Any error is fine; a crash, a hang or a failed
// check is a bug. Run with `fuzz/run.sh events SECONDS`.
import SignalGraph

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let line = UnsafeBufferPointer(start: data, count: size)
  guard let event = try? EventParser.parse(line: line, seq: 0) else { return 0 }
  // What the parser accepts, written back as the contract's line, reads back the same.
  let again = try? EventParser.parse(line: Array(event.jsonLine.utf8), seq: 0)
  precondition(again == event, "\(event) does not survive jsonLine: \(event.jsonLine)")
  return 0
}
