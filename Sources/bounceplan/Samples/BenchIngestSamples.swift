import BounceIngest
import Foundation

/// Deterministic inputs for `bench-ingest`: NDJSON notifications of every service, and an mbox of
/// bounce messages, written in chunks so that generating a gigabyte takes no more memory than reading it.
struct BenchIngestSamples {
    /// SplitMix64: seeded, so every bench run reads the same bytes.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Replies as services report them: (code, status, text).
    static let replies: [(Int, String, String)] = [
        (550, "5.1.1", "550 5.1.1 <%@>: Recipient address rejected: User unknown in virtual mailbox table"),
        (550, "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos."),
        (552, "5.2.2", "552 5.2.2 The email account that you tried to reach is over quota."),
        (554, "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.17] blocked using zen.example.org"),
        (550, "5.7.1", "550 5.7.1 Unauthenticated email from example.com is not accepted due to domain's DMARC policy."),
        (421, "4.7.0", "421 4.7.0 Try again later, closing connection."),
        (451, "4.7.1", "451 4.7.1 Greylisted, please try again in 300 seconds"),
        (550, "5.4.1", "550 5.4.1 Recipient address rejected: Access denied."),
    ]

    private var random = Random(state: 0x1B0_0013)
    private var counter = 0

    /// Writes NDJSON for `service` until the file holds at least `bytes`; returns the events written
    /// that should be stored (opens and clicks are written too, and skipped by ingest).
    mutating func writeWebhooks(_ service: WebhookService, bytes: Int, to path: String) throws -> Int {
        var output = ChunkedOutput(path: path)
        var stored = 0
        while output.written < bytes {
            let (line, events) = webhookLine(service)
            stored += events
            try output.append(line)
        }
        try output.close()
        return stored
    }

    /// One NDJSON line and how many storable events it holds; SendGrid and SparkPost lines are batches.
    private mutating func webhookLine(_ service: WebhookService) -> (String, Int) {
        switch service {
        case .sendgrid, .sparkpost:
            var items: [String] = []
            var stored = 0
            for _ in 0..<25 {
                let (item, storable) = service == .sendgrid ? sendGrid() : sparkPost()
                items.append(item)
                stored += storable ? 1 : 0
            }
            return ("[" + items.joined(separator: ",") + "]\n", stored)
        case .ses: let (line, storable) = ses(); return (line + "\n", storable ? 1 : 0)
        case .mailgun: let (line, storable) = mailgun(); return (line + "\n", storable ? 1 : 0)
        case .postmark: let (line, storable) = postmark(); return (line + "\n", storable ? 1 : 0)
        }
    }

    /// 0–11 failures, 12–13 deliveries, 14 complaints, 15–19 opens and clicks.
    private mutating func nextEvent() -> (id: Int, recipient: String, slot: Int, reply: (Int, String, String)) {
        counter += 1
        let slot = random.next(20)
        let recipient = "user\(random.next(5_000_000))@d\(random.next(30_000)).example.com"
        var reply = Self.replies[random.next(Self.replies.count)]
        reply.2 = reply.2.replacing("%@", with: recipient)
        return (counter, recipient, slot, reply)
    }

    private mutating func ses() -> (String, Bool) {
        let event = nextEvent()
        let mail = #""mail":{"timestamp":"2026-11-28T08:00:00.000Z","source":"news@mail.example.com","sourceArn":"arn:aws:ses:us-east-1:111122223333:identity/mail.example.com","sourceIp":"198.51.100.7","sendingAccountId":"111122223333","messageId":"0100018c\#(event.id)-bench-000000","destination":["\#(event.recipient)"],"headersTruncated":false,"headers":[{"name":"From","value":"Example News <news@mail.example.com>"},{"name":"To","value":"\#(event.recipient)"},{"name":"Subject","value":"Your weekly digest"},{"name":"MIME-Version","value":"1.0"},{"name":"Content-Type","value":"multipart/alternative; boundary=\"b1\""},{"name":"X-Campaign-ID","value":"weekly-48"}],"commonHeaders":{"from":["Example News <news@mail.example.com>"],"to":["\#(event.recipient)"],"messageId":"<0100018c\#(event.id)@email.amazonses.com>","subject":"Your weekly digest"}}"#
        switch event.slot {
        case 0...11:
            let type = event.reply.0 >= 500 ? "Permanent" : "Transient"
            return (#"{"notificationType":"Bounce","bounce":{"feedbackId":"0102018c\#(event.id)-fb","bounceType":"\#(type)","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"\#(event.recipient)","action":"failed","status":"\#(event.reply.1)","diagnosticCode":"smtp; \#(event.reply.2)"}],"timestamp":"2026-11-28T08:00:01.000Z","remoteMtaIp":"203.0.113.9","reportingMTA":"dsn; a8-1.smtp-out.amazonses.com"},\#(mail)}"#, true)
        case 12, 13:
            return (#"{"notificationType":"Delivery","delivery":{"timestamp":"2026-11-28T08:00:01.000Z","processingTimeMillis":812,"recipients":["\#(event.recipient)"],"smtpResponse":"250 2.0.0 OK","remoteMtaIp":"203.0.113.9","reportingMTA":"a8-1.smtp-out.amazonses.com"},\#(mail)}"#, true)
        case 14:
            return (#"{"notificationType":"Complaint","complaint":{"feedbackId":"0102018c\#(event.id)-fb","complainedRecipients":[{"emailAddress":"\#(event.recipient)"}],"timestamp":"2026-11-28T09:00:00.000Z","userAgent":"ExampleMail-FBL/1.0","complaintFeedbackType":"abuse"},\#(mail)}"#, true)
        default:
            return (#"{"eventType":"Open","open":{"ipAddress":"198.51.100.99","timestamp":"2026-11-28T11:00:00.000Z","userAgent":"Mozilla/5.0"},\#(mail)}"#, false)
        }
    }

    private mutating func sendGrid() -> (String, Bool) {
        let event = nextEvent()
        let common = #""email":"\#(event.recipient)","timestamp":1764320000,"smtp-id":"<\#(event.id).sg@ismtpd-0042>","sg_event_id":"sg-\#(event.id)","sg_message_id":"M\#(event.id).filterdrecv-1","category":"weekly""#
        switch event.slot {
        case 0...11:
            if event.reply.0 < 500 {
                return (#"{\#(common),"event":"deferred","response":"\#(event.reply.2)","attempt":"2"}"#, true)
            }
            return (#"{\#(common),"event":"bounce","type":"bounce","reason":"\#(event.reply.2)","status":"\#(event.reply.1)","ip":"192.0.2.77","tls":1}"#, true)
        case 12, 13: return (#"{\#(common),"event":"delivered","response":"250 OK","ip":"192.0.2.77"}"#, true)
        case 14: return (#"{\#(common),"event":"spamreport"}"#, true)
        default: return (#"{\#(common),"event":"open","useragent":"Mozilla/5.0","ip":"198.51.100.20"}"#, false)
        }
    }

    private mutating func mailgun() -> (String, Bool) {
        let event = nextEvent()
        let common = #""id":"mg-\#(event.id)","timestamp":1764321000.25,"recipient":"\#(event.recipient)","recipient-domain":"example.com","envelope":{"sender":"bounces@mg.example.com","transport":"smtp","targets":"\#(event.recipient)","sending-ip":"198.51.100.61"},"message":{"headers":{"to":"\#(event.recipient)","message-id":"\#(event.id)@mg.example.com","from":"Shop <shop@mg.example.com>","subject":"Your order"},"attachments":[],"size":2048},"flags":{"is-routed":false,"is-authenticated":true,"is-test-mode":false},"tags":["orders"],"user-variables":{}"#
        let signature = #""signature":{"timestamp":"1764321000","token":"a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0","signature":"d2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55"}"#
        let data: String
        var storable = true
        switch event.slot {
        case 0...11:
            let severity = event.reply.0 >= 500 ? "permanent" : "temporary"
            data = #"{"event":"failed","severity":"\#(severity)","reason":"bounce","log-level":"error",\#(common),"delivery-status":{"code":\#(event.reply.0),"message":"\#(event.reply.2)","description":"","enhanced-code":"\#(event.reply.1)","mx-host":"mx.example.com","attempt-no":1,"session-seconds":0.4}}"#
        case 12, 13: data = #"{"event":"delivered","log-level":"info",\#(common),"delivery-status":{"code":250,"message":"OK","description":"","mx-host":"mx.example.com"}}"#
        case 14: data = #"{"event":"complained","log-level":"warn",\#(common)}"#
        default: data = #"{"event":"opened","log-level":"info",\#(common)}"#; storable = false
        }
        return (#"{\#(signature),"event-data":\#(data)}"#, storable)
    }

    private mutating func postmark() -> (String, Bool) {
        let event = nextEvent()
        let common = #""MessageStream":"outbound","ID":\#(event.id),"Tag":"receipts","MessageID":"pm-\#(event.id)","ServerID":1234,"Email":"\#(event.recipient)","From":"support@app.example.com","BouncedAt":"2026-11-28T14:20:31.4570123Z","DumpAvailable":true,"Subject":"Your receipt","Metadata":{"account":"42"}"#
        switch event.slot {
        case 0...11:
            let type = event.reply.0 >= 500 ? "\"Type\":\"HardBounce\",\"TypeCode\":1,\"Name\":\"Hard bounce\"" : "\"Type\":\"Transient\",\"TypeCode\":2,\"Name\":\"Message delayed\""
            return (#"{"RecordType":"Bounce",\#(type),\#(common),"Description":"The server was unable to deliver your message.","Details":"smtp;\#(event.reply.2)","Inactive":true,"CanActivate":true}"#, true)
        case 12, 13:
            return (#"{"RecordType":"Delivery","ServerID":1234,"MessageStream":"outbound","MessageID":"pm-\#(event.id)","Recipient":"\#(event.recipient)","Tag":"receipts","DeliveredAt":"2026-11-28T14:20:31Z","Details":"smtp;250 2.0.0 OK","Metadata":{}}"#, true)
        case 14:
            return (#"{"RecordType":"SpamComplaint","Type":"SpamComplaint","TypeCode":100001,"Name":"Spam complaint",\#(common),"Description":"The subscriber explicitly marked this message as spam.","Details":"","Inactive":true,"CanActivate":false}"#, true)
        default:
            return (#"{"RecordType":"Open","MessageStream":"outbound","FirstOpen":true,"Recipient":"\#(event.recipient)","MessageID":"pm-\#(event.id)","ReceivedAt":"2026-11-28T16:00:00Z","Platform":"WebMail"}"#, false)
        }
    }

    private mutating func sparkPost() -> (String, Bool) {
        let event = nextEvent()
        let common = #""customer_id":"17","event_id":"\#(event.id)","message_id":"sp\#(event.id)","transmission_id":"6583215\#(event.id)","campaign_id":"winter-sale","msg_from":"msprvs1=bounces@sp.example.com","sending_ip":"192.0.2.133","ip_pool":"marketing","timestamp":"1764349200","rcpt_to":"\#(event.recipient)","raw_rcpt_to":"\#(event.recipient)","friendly_from":"sale@example.com","subject":"Winter sale""#
        switch event.slot {
        case 0...11:
            let type = event.reply.0 >= 500 ? "bounce" : "delay"
            return (#"{"msys":{"message_event":{"type":"\#(type)",\#(common),"bounce_class":"10","error_code":"\#(event.reply.0)","reason":"\#(event.reply.2)","raw_reason":"\#(event.reply.2)","num_retries":"0"}}}"#, true)
        case 12, 13: return (#"{"msys":{"message_event":{"type":"delivery",\#(common),"queue_time":"300"}}}"#, true)
        case 14: return (#"{"msys":{"message_event":{"type":"spam_complaint",\#(common),"fbtype":"abuse","report_by":"fbl.example.net"}}}"#, true)
        default: return (#"{"msys":{"track_event":{"type":"open",\#(common),"user_agent":"Mozilla/5.0"}}}"#, false)
        }
    }

    /// Writes an mbox of RFC 3464 bounces (Postfix's layout) until it holds at least `bytes`; returns the messages written.
    mutating func writeMbox(bytes: Int, to path: String) throws -> Int {
        var output = ChunkedOutput(path: path)
        var messages = 0
        while output.written < bytes {
            let event = nextEvent()
            messages += 1
            let queue = String(event.id, radix: 16, uppercase: true)
            let failed = event.reply.0 >= 500
            try output.append("""
                From MAILER-DAEMON Sat Nov 28 03:12:45 2026
                Return-Path: <>
                Received: by mx.mail.example.com (Postfix) id \(queue); Sat, 28 Nov 2026 03:12:45 +0000 (UTC)
                Date: Sat, 28 Nov 2026 03:12:45 +0000 (UTC)
                From: MAILER-DAEMON@mail.example.com (Mail Delivery System)
                Subject: \(failed ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)")
                To: bounces@mail.example.com
                Auto-Submitted: auto-replied
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="\(queue).1764299565/mx.mail.example.com"
                Message-Id: <20261128031245.\(queue)@mx.mail.example.com>

                This is a MIME-encapsulated message.

                --\(queue).1764299565/mx.mail.example.com
                Content-Description: Notification
                Content-Type: text/plain; charset=us-ascii

                This is the mail system at host mx.mail.example.com.

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients. It's attached below.

                <\(event.recipient)>: host mx.d.example.com[203.0.113.5] said: \(event.reply.2) (in reply to RCPT TO command)

                --\(queue).1764299565/mx.mail.example.com
                Content-Description: Delivery report
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.mail.example.com
                X-Postfix-Queue-ID: \(queue)
                X-Postfix-Sender: rfc822; news@mail.example.com
                Arrival-Date: Sat, 28 Nov 2026 03:12:40 +0000 (UTC)

                Final-Recipient: rfc822; \(event.recipient)
                Original-Recipient: rfc822;\(event.recipient)
                Action: \(failed ? "failed" : "delayed")
                Status: \(event.reply.1)
                Remote-MTA: dns; mx.d.example.com
                Diagnostic-Code: smtp; \(event.reply.2)

                --\(queue).1764299565/mx.mail.example.com
                Content-Description: Undelivered Message Headers
                Content-Type: text/rfc822-headers

                Return-Path: <news@mail.example.com>
                From: Example News <news@mail.example.com>
                To: \(event.recipient)
                Subject: Your weekly digest
                Message-Id: <weekly-\(event.id)@mail.example.com>
                X-Campaign-ID: weekly-48
                Date: Sat, 28 Nov 2026 03:12:39 +0000

                --\(queue).1764299565/mx.mail.example.com--


                """)
        }
        try output.close()
        return messages
    }
}

/// Appends text to a file through a 1 MiB buffer.
struct ChunkedOutput {
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private(set) var written = 0

    init(path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
        buffer.reserveCapacity(1 << 20)
    }

    mutating func append(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        written += text.utf8.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func close() throws {
        try flush()
        try handle?.close()
    }

    private mutating func flush() throws {
        guard let handle else { throw CocoaError(.fileWriteUnknown) }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
