@preconcurrency import Glibc

/// The East Asian multi-byte charsets notices arrive in (Chinese enterprise mail in GBK/GB2312,
/// Japanese carriers in ISO-2022-JP or Shift_JIS, Korean in EUC-KR), converted with the C library's
/// iconv. Only parts that declare one of these charsets come here, so the per-message path stays free
/// of it.
enum MultiByteCharsets {
    /// The iconv name for a charset label (lower-cased), or nil when the label is not one of these.
    /// GB2312 and GBK labels are read as GB18030, their superset: mailers label GBK text "gb2312".
    static func iconvName(for label: String) -> String? {
        switch label {
        case "gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "x-euc-cn", "csgb2312", "chinese": "GB18030"
        case "big5", "big5-hkscs", "x-big5", "cp950": "BIG5-HKSCS"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "cp932", "windows-31j": "CP932"
        case "euc-jp", "x-euc-jp": "EUC-JP"
        case "iso-2022-jp", "csiso2022jp": "ISO-2022-JP"
        case "euc-kr", "ks_c_5601-1987", "cp949", "ks_c_5601": "CP949"
        default: nil
        }
    }

    /// The bytes as text, or nil when iconv does not know the charset or the bytes are not valid in it.
    static func string(_ bytes: some Collection<UInt8>, iconvName: String) -> String? {
        guard let converter = iconv_open("UTF-8", iconvName), converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = Array(bytes)
        // Every charset here takes at most 4 UTF-8 bytes per input byte.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                var inPointer = UnsafeMutableRawPointer(input.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPointer = UnsafeMutableRawPointer(output.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = input.count, outLeft = output.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1,
                    iconv(converter, nil, nil, &outPointer, &outLeft) != -1
                else { return nil }
                return output.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(decoding: output[..<written], as: UTF8.self)
    }
}
