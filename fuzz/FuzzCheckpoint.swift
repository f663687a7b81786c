import Foundation
// libFuzzer harness for the pre-filter's checkpoint restore,
// `Prefilter(configuration:checkpoint:)`: the input is a checkpoint's bytes.
// A refusal is fine; a crash, a hang or a failed check is a bug, and so is
// a restored pre-filter that cannot decide events or be saved and restored
// again. Run with `fuzz/run.sh checkpoint SECONDS`.
import InlinePrefilter
import SignalGraph

/// Events that touch every part of the pre-filter's state.
let probeLines: [[UInt8]] = [
  #"{"type":"payment","id":"p1","src":"a","dst":"b","amount":"10","ts":1767225600}"#,
  #"{"type":"payment","id":"p2","src":"b","dst":"a","amount":"10","ts":1767225660}"#,
  #"{"type":"interaction","src":"a","dst":"c","kind":"like","ts":1767225700}"#,
  #"{"type":"interaction","src":"b","dst":"c","kind":"follow","ts":1767312000}"#,
  #"{"type":"profile_edit","account":"a","field":"employer","value":"Acme","ts":1767312100}"#,
  #"{"type":"profile_edit","account":"b","field":"bio","value":"hello there","ts":1770000000}"#,
].map { Array($0.utf8) }

/// With FRAUDSCAN_FUZZ_SEEDS set to a directory, writes checkpoints of this
/// build there first: of a fresh pre-filter and after each probe event.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> CInt {
  guard let seeds = ProcessInfo.processInfo.environment["FRAUDSCAN_FUZZ_SEEDS"] else { return 0 }
  var filter = Prefilter(configuration: PrefilterConfiguration())
  for i in 0...probeLines.count {
    _ = FileManager.default.createFile(atPath: "\(seeds)/seed-\(i)", contents: Data(filter.checkpoint()))
    if i < probeLines.count { _ = filter.decide(line: probeLines[i]) }
  }
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let configuration = PrefilterConfiguration()
  guard var filter = try? Prefilter(configuration: configuration, checkpoint: bytes) else { return 0 }
  for line in probeLines { _ = filter.decide(line: line) }
  precondition(
    (try? Prefilter(configuration: configuration, checkpoint: filter.checkpoint())) != nil,
    "a restored pre-filter's own checkpoint is refused")
  return 0
}
