import Foundation

/// One node of a parsed message: its headers, raw body and, for containers, what it holds.
struct MIMEPart: Sendable {
    var headers: HeaderFields
    var mediaType: MediaType
    /// The body as transmitted (before Content-Transfer-Encoding decoding).
    var body: ArraySlice<UInt8>
    /// The parts of a multipart body.
    var children: [MIMEPart] = []
    /// The parsed message of a message/rfc822 (or message/global) part; at most one element.
    var embedded: [MIMEPart] = []

    /// The body after Content-Transfer-Encoding decoding.
    var decodedBody: ArraySlice<UInt8> {
        TransferDecoding.decode(body, encoding: headers["Content-Transfer-Encoding"])
    }

    /// The decoded body as text, using the declared charset when it is one we know.
    var text: String {
        TextDecoding.string(decodedBody, charset: mediaType.parameters["charset"])
    }

    var isEmbeddedMessage: Bool {
        mediaType.type == "message" && ["rfc822", "global"].contains(mediaType.subtype)
    }

    var isHeadersOnly: Bool {
        ["text/rfc822-headers", "message/rfc822-headers", "message/global-headers"].contains(mediaType.essence)
    }

    /// Visits this part and its descendants in order, without entering embedded messages:
    /// the message that bounced is not part of the bounce's own structure.
    func walk(_ visit: (MIMEPart) -> Void) {
        visit(self)
        for child in children { child.walk(visit) }
    }

    /// The first part (in walk order) that matches.
    func first(where predicate: (MIMEPart) -> Bool) -> MIMEPart? {
        if predicate(self) { return self }
        for child in children {
            if let found = child.first(where: predicate) { return found }
        }
        return nil
    }
}
