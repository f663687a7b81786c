// libFuzzer harness for the CSV reader and the signal-set loader: the input
// is a byte picking the file (payments, interactions, profile edits,
// accounts) and then that CSV file of a signal set. Any error is fine; a crash, a hang or a
// failed check is a bug. Run with `fuzz/run.sh csv SECONDS`.
import Foundation
import SignalGraph

/// The directory each input is written into, one per process: in memory
/// (/dev/shm) when there is one, so that the disk does not set the pace.
let directory: String = {
  let parent = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
  let path = parent + "fraudscan-fuzz-csv-\(getpid())"
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}()

/// The file kinds, picked by the input's first byte (modulo 4).
let fileNames = ["payments.csv", "interactions.csv", "profile_edits.csv", "accounts.csv"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let bytes = Data(bytes: data + 1, count: size - 1)
  let file = fileNames[Int(data[0]) % fileNames.count]
  for name in fileNames {
    let path = directory + "/" + name
    if name == file {
      _ = FileManager.default.createFile(atPath: path, contents: bytes)
    } else if name == "interactions.csv" {
      // accounts.csv alone is no signal set: give it an empty signal file.
      _ = FileManager.default.createFile(atPath: path, contents: Data("src,dst,kind,ts\n".utf8))
    } else {
      try? FileManager.default.removeItem(atPath: path)
    }
  }
  // The raw reader, with small blocks so that records straddle them.
  let reader = CSVReader(path: directory + "/" + file, blockSize: 16 + Int(data[0] >> 2))
  try? reader.forEachRecord { record in
    for i in 0..<record.count { precondition(record[i].count <= size, "a field longer than the file") }
  }
  // The loader: every accepted value must be within the contract.
  if let set = try? SignalSet(contentsOf: directory) {
    for times in [set.payments.time, set.interactions.time, set.profileEdits.time] {
      precondition(times.allSatisfy(Timestamp.validRange.contains), "a timestamp out of range was accepted")
    }
    precondition(set.payments.amountMicros.allSatisfy { $0 >= 0 }, "a negative amount was accepted")
  }
  return 0
}
