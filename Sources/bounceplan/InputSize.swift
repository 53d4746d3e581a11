import Foundation

/// How many bytes a set of input paths holds, for the progress line's percentage: regular files by
/// their size, folders (Maildir) by the files below them. Unreadable paths count nothing: they are
/// reported when ingest reaches them.
enum InputSize {
    static func totalBytes(of paths: [String]) -> Int64? {
        var total: Int64 = 0
        let files = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if !isFolder.boolValue {
                total += size(path)
                continue
            }
            guard let walker = files.enumerator(atPath: path) else { continue }
            while let relative = walker.nextObject() as? String {
                total += size(path + "/" + relative)
            }
        }
        return total > 0 ? total : nil
    }

    private static func size(_ path: String) -> Int64 {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else { return 0 }
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }
}
