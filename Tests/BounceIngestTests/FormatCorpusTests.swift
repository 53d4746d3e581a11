import Foundation
import Testing

@testable import BounceIngest

/// One fixture per bounce format of the README's "Bounce formats read" table, each written for
/// this project from the MTA's source or documentation: recipient, status, reply code and text.
@Suite struct FormatCorpusTests {
    static let cases: [CorpusCase] = [
        CorpusCase(
            file: "dma.eml", recipient: "lena@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <lena@example.net>: Recipient address rejected: User unknown in local recipient table",
            messageID: "dma-301.lena@sender.example"),
        CorpusCase(
            file: "google_groups.eml", recipient: "announce-team@googlegroups.com",
            diagnostic: "We're writing to let you know that the group you tried to contact (announce-team) may not exist, or you may not have permission to post messages to the group. A few more details on why you weren't able to post:",
            messageID: "gg-302.team@sender.example"),
        CorpusCase(
            file: "amazon_workmail.eml", recipient: "omar@example.org", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <omar@example.org>: Recipient address rejected: User unknown in virtual alias table",
            messageID: "wm-303.omar@sender.example"),
        CorpusCase(
            file: "sendmail_transcript.eml", recipient: "pablo@example.com", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <pablo@example.com>... No such user", messageID: "sm-304.pablo@sender.example"),
        CorpusCase(
            file: "sendmail_v5.eml", recipient: "quentin@example.org", code: 550,
            diagnostic: "550 <quentin@example.org>... User unknown", messageID: "v5-305.quentin@sender.example"),
        CorpusCase(
            file: "exchange_2003.eml", recipient: "rosa@example.net", status: "5.1.1",
            diagnostic: "#5.1.1 The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.",
            remoteMTA: "mail.example.net", messageID: "ex3-306.rosa@sender.example"),
        CorpusCase(
            file: "exchange_2007.eml", recipient: "sam@example.com", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", messageID: "ex7-307.sam@sender.example"),
        CorpusCase(
            file: "exchange_did_not_reach.eml", recipient: "tara@example.org",
            diagnostic: "The recipient name is not recognized The MTS-ID of the original message is: c=us;a= ;p=example;l=MAIL0611301355ABCD MSEXCH:IMS:Example:Site:MAIL 0 (000C05A6) Unknown Recipient"),
        CorpusCase(
            file: "docomo.eml", recipient: "yuki.t@docomo.ne.jp", code: 550,
            diagnostic: "550 Unknown user yuki.t@docomo.ne.jp", messageID: "docomo-309.yuki@sender.example"),
        CorpusCase(
            file: "ezweb.eml", recipient: "haruto-k@ezweb.ne.jp", code: 550, diagnostic: "550 user unknown",
            messageID: "ez-310.haruto@sender.example"),
        CorpusCase(
            file: "softbank.eml", recipient: "mei-s@softbank.ne.jp", code: 550,
            diagnostic: "550 <mei-s@softbank.ne.jp>: Recipient address rejected: User unknown",
            messageID: "sb-311.mei@sender.example"),
        CorpusCase(
            file: "japan_isp.eml", recipient: "sora@isp.example.jp", diagnostic: "<sora@isp.example.jp>... User unknown",
            messageID: "isp-312.sora@sender.example"),
        CorpusCase(
            file: "imail.eml", recipient: "uma@example.com", diagnostic: "Unknown user: uma@example.com",
            messageID: "im-313.uma@sender.example"),
        CorpusCase(
            file: "zoho.eml", recipient: "vera@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 - 5.1.1 <vera@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
            messageID: "zo-314.vera@sender.example"),
        CorpusCase(
            file: "gmx.eml", recipient: "walter@example.de", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <walter@example.de>: Recipient address rejected: User unknown",
            messageID: "gmx-315.walter@sender.example"),
        CorpusCase(
            file: "mfilter.eml", recipient: "xena@example.jp", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <xena@example.jp>... User unknown"),
        CorpusCase(
            file: "interscan.eml", recipient: "yves@example.com", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <yves@example.com>... User unknown", messageID: "tm-317.yves@sender.example"),
        CorpusCase(
            file: "lotus_notes.eml", recipient: "zack@example.com",
            diagnostic: "User zack (zack@example.com) not listed in Domino Directory", messageID: "ln-318.zack@sender.example"),
        CorpusCase(
            file: "verizon.eml", recipient: "5555550199@vtext.example", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <5555550199@vtext.example>: Recipient address rejected: User unknown",
            messageID: "vz-319.sms@sender.example"),
        CorpusCase(
            file: "mailmarshal.eml", recipient: "abel@example.org", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 User unknown", messageID: "mm-320.abel@sender.example"),
        CorpusCase(
            file: "mailfoundry.eml", recipient: "bella@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <bella@example.net>... User unknown", messageID: "mfd-321.bella@sender.example"),
        CorpusCase(
            file: "activehunter.eml", recipient: "chika@example.jp", status: "5.1.1", code: 550,
            diagnostic: "550 sorry, no mailbox here by that name (#5.1.1 - chkusr)", messageID: "ah-322.chika@sender.example"),
        CorpusCase(
            file: "gmail_delay.eml", kind: .deferral, recipient: "dora@example.com",
            diagnostic: "The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.com. 192.0.2.70: timed out]",
            messageID: "gd-323.dora@sender.example"),
        // Gmail's current delay notice ("Gmail will retry for N more hours", Subject "Delivery Status Notification (Delay)"),
        // text only and with its delivery-status part (Action: delayed).
        CorpusCase(
            file: "gmail_delay_retry.eml", kind: .deferral, recipient: "ruben.alvarez@example.es", status: "4.7.1", code: 451,
            diagnostic: "451 4.7.1 <ruben.alvarez@example.es>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.es.html",
            messageID: "gd-777.ruben@sender.example"),
        CorpusCase(
            file: "gmail_delay_report.eml", kind: .deferral, recipient: "marta.soler@example.es", status: "4.4.1",
            diagnostic: "The recipient server did not accept our requests to connect. For more information, go to https://support.google.com/mail/answer/7720 [mx1.example.es 203.0.113.81: timed out]",
            messageID: "gd-778.marta@sender.example"),
        // Issue 13's bug: `<addr>: 550 5.1.1 …` on one indented line used to lose the reply.
        CorpusCase(
            file: "indented_reply_line.eml", recipient: "ruth.cole@example.com", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <ruth.cole@example.com>: Recipient address rejected: User unknown in local recipient table",
            messageID: "ind-41.ruth@sender.example"),
        CorpusCase(
            file: "qmail_crlf.eml", recipient: "gus@example.com", status: "5.1.1",
            diagnostic: "Sorry, no mailbox here by that name. (#5.1.1)", messageID: "qm-325.gus@sender.example"),
        CorpusCase(
            file: "courier.eml", recipient: "hana@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <hana@example.net>: Recipient address rejected: User unknown",
            messageID: "cr-326.hana@sender.example"),
        CorpusCase(
            file: "dsn_pipe_recipient.eml", recipient: "leo@example.net", status: "5.3.0", code: 554,
            diagnostic: "554 5.3.0 unknown mailer error 73"),
        // Issue 13, second batch: Exim local deliveries (deliver.c print_address_information).
        CorpusCase(
            file: "exim_pipe.eml", recipient: "helpdesk@example.org",
            diagnostic: "ticket-intake: queue \"support\" is closed, message refused", messageID: "exp-401.support@sender.example"),
        CorpusCase(
            file: "exim_pipe_status.eml", recipient: "orders@example.net",
            diagnostic: "Child process of address_pipe transport returned 69 (could mean service or program unavailable) from command: /home/orders/bin/import.pl",
            messageID: "exp-402.orders@sender.example"),
        CorpusCase(
            file: "exim_bare_pipe.eml", recipient: "members@lists.example.org",
            diagnostic: "Child process of address_pipe transport returned 1 from command: /usr/lib/mailman/mail/mailman",
            messageID: "exp-405.members@sender.example"),
        CorpusCase(
            file: "exim_undisclosed.eml", recipient: "sales@example.com", diagnostic: "delivery failed (no details given)",
            messageID: "exp-403.sales@sender.example"),
        // Google Groups without X-Failed-Recipients, and the allowed-senders notice.
        CorpusCase(
            file: "google_groups_returned.eml", recipient: "volunteers@community.example.org",
            diagnostic: "We're writing to let you know that the group you tried to contact (volunteers) may not exist, or you may not have permission to post messages to the group. A few more details on why you weren't able to post:",
            messageID: "gg-501.volunteers@sender.example"),
        CorpusCase(
            file: "google_groups_allowed_senders.eml", recipient: "privacy@example.com",
            diagnostic: "The group privacy only accepts messages from people in its organization or on its allowed senders list, and your email address isn't on the list.",
            messageID: "gg-502.privacy@sender.example"),
        // Netscape Messaging Server / OpenWave InterMail "Mail System Error - Returned Mail".
        CorpusCase(
            file: "intermail.eml", recipient: "kelly.b@isp.example.net",
            diagnostic: "The following destination addresses were unknown (please check the addresses and re-mail the message):",
            messageID: "im-601.kelly@sender.example"),
        CorpusCase(
            file: "intermail_rejected.eml", recipient: "luis.m@example.org", status: "5.1.1",
            diagnostic: "5.1.1 <luis.m@example.org>... unknown or illegal alias: luis.m@example.org", messageID: "im-602.luis@sender.example"),
        CorpusCase(file: "intermail_host_not_found.eml", recipient: "nina@no-such-host.example", diagnostic: "Host no-such-host.example not found"),
        CorpusCase(file: "netscape_quota.eml", recipient: "omar.q@example.com", diagnostic: "User quota exceeded: SMTP <omar.q@example.com>"),
        // MDaemon: warnings (deferrals), permanent failures, the local unknown-user notice.
        CorpusCase(
            file: "mdaemon_warning.eml", kind: .deferral, recipient: "pedro@example.net", status: "4.2.0", code: 450,
            diagnostic: "450 4.2.0 <pedro@example.net>: Recipient address rejected: Greylisted, try again later",
            messageID: "md-701.pedro@sender.example"),
        CorpusCase(
            file: "mdaemon_warning_dns.eml", kind: .deferral, recipient: "quinn@office.example.com",
            diagnostic: "Socket connection failed (198.51.100.70:25): connection timed out"),
        CorpusCase(
            file: "mdaemon_warning_untimed.eml", kind: .deferral, recipient: "renzo@studio.example.it",
            diagnostic: "Name server reports domain name unknown"),
        CorpusCase(
            file: "mdaemon_failure.eml", recipient: "rita@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <rita@example.net>: Recipient address rejected: User unknown in local recipient table"),
        CorpusCase(
            file: "securitygateway.eml", recipient: "wanda@example.net", status: "5.7.1", code: 554,
            diagnostic: "554 5.7.1 Message rejected as spam by content filter", messageID: "sgw-901.wanda@sender.example"),
        CorpusCase(
            file: "mdaemon_unknown_user.eml", recipient: "sofia.k@example.at", diagnostic: "no such user here.",
            messageID: "md-704.sofia@sender.example"),
        // Trend Micro InterScan / IMSVA notices.
        CorpusCase(
            file: "imsva_policy.eml", recipient: "tomas@example.com",
            diagnostic: "Trend Micro InterScan Messaging Security Virtual Appliance has blocked the message below because it violated the security policy of the recipient's organization. The message was not delivered."),
        CorpusCase(
            file: "imsva_quarantine.eml", recipient: "victor@example.org",
            diagnostic: "The message you sent to victor@example.org was quarantined by the content filter of the recipient's mail gateway and has not been delivered."),
        CorpusCase(
            file: "imsva_undeliverable.eml", recipient: "ursula@example.jp", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <ursula@example.jp>: Recipient address rejected: User unknown in virtual mailbox table",
            messageID: "tm-802.ursula@sender.example"),
        // Gromox / grommunio local bounces (github.com/grommunio/gromox data/local_bounce, mda/exmdb_local/bounce_producer.cpp):
        // a bare Status 5.0.0 and no Diagnostic-Code; the reply is the notice's sentence naming the recipient.
        CorpusCase(
            file: "gromox_no_user.eml", recipient: "jonas.weber@example.org", status: "5.0.0",
            diagnostic: "I am sorry to tell you that that the address \"jonas.weber@example.org\" does not exist.",
            remoteMTA: "mail.example.org"),
        CorpusCase(
            file: "gromox_v1_no_user.eml", recipient: "milan.novak@example.net", status: "5.0.0",
            diagnostic: "I am sorry to tell you that that the address \"milan.novak@example.net\" does not exist.",
            remoteMTA: "mx.example.net"),
        CorpusCase(
            file: "gromox_no_user_zh.eml", recipient: "wang.fang@example.cn", status: "5.0.0",
            diagnostic: "很抱歉通知您，您发送到“wang.fang@example.cn”的邮件无法被正确投递，因为该收件人并不存在！",
            remoteMTA: "mail.example.cn"),
        CorpusCase(
            file: "gromox_no_user_ja.eml", recipient: "sato.kenji@example.jp", status: "5.0.0",
            diagnostic: "受信者が存在していないため、\"sato.kenji@example.jp\"へのメールを正しく送信できません。",
            remoteMTA: "mail.example.jp"),
        CorpusCase(
            file: "gromox_operation_error.eml", recipient: "klara.roth@example.org", status: "5.0.0",
            diagnostic: "I am sorry to tell you that some error occurred in our mail system, your message to \"klara.roth@example.org\" cannot be delivered, please contact our mail system administrator to settle this problem.",
            remoteMTA: "mail.example.org"),
        CorpusCase(
            file: "gromox_v0_operation_error.eml", recipient: "ruth.meier@example.com", status: "5.0.0",
            diagnostic: "I am sorry to tell you that some error occurs in our mail system, your message to \"ruth.meier@example.com\" cannot be delivered, please contact our mail system administrator to settle this problem.",
            remoteMTA: "mail.example.com"),
        CorpusCase(
            file: "gromox_mailbox_full.eml", recipient: "lena.fuchs@example.org", status: "5.0.0",
            diagnostic: "I am sorry to tell you that lena.fuchs@example.org's mailbox is full, we cannot deliver any message into this mailbox, please try it later.",
            remoteMTA: "mail.example.org"),
        CorpusCase(
            file: "gromox_mlist_specified.eml", recipient: "staff@example.org", status: "5.0.0",
            diagnostic: "You have not enough privilege to send mail to mail list staff@example.org, this mail list can only accept mails come from specified senders.",
            remoteMTA: "mail.example.org"),
        // Bounces forwarded by list managers: L-Soft LISTSERV's "possible delivery error notice", attached
        // or pasted, and Mailman's "Uncaught bounce notification".
        CorpusCase(
            file: "listserv_possible_delivery_error.eml", recipient: "janedoe@example.com", status: "5.1.1",
            diagnostic: "failed (status 5.1.1)", messageID: "ls-4821.stats@lists.example.edu"),
        CorpusCase(
            file: "listserv_inline.eml", recipient: "h.brandt@example.de", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <h.brandt@example.de>: Recipient address rejected: User unknown in local recipient table",
            remoteMTA: "mailstore.example.de"),
        CorpusCase(
            file: "mailman_uncaught_bounce.eml", recipient: "paula.k@example.net", status: "5.1.1",
            diagnostic: "Sorry, no mailbox here by that name. (#5.1.1)", messageID: "mm-551.members@lists.example.org"),
        // Russian notices in UTF-8 quoted-printable, KOI8-R 8bit and windows-1251 base64.
        CorpusCase(
            file: "ru_robot_qp.eml", recipient: "ivan.petrov@example.ru",
            diagnostic: "Ваше сообщение для ivan.petrov@example.ru не может быть доставлено: нет такого пользователя.",
            messageID: "ru-901.ivan@sender.example"),
        CorpusCase(
            file: "ru_koi8.eml", recipient: "olga.smirnova@example.ru", diagnostic: "адресат не найден",
            messageID: "ru-902.olga@sender.example"),
        CorpusCase(
            file: "ru_cp1251.eml", recipient: "sergey.ivanov@example.ru", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <sergey.ivanov@example.ru>: Recipient address rejected: User unknown in local recipient table",
            messageID: "ru-903.sergey@sender.example"),
        // GroupWise (GWIA) naming a user of its post office by user id: the returned message's recipient, the reason in parentheses.
        CorpusCase(
            file: "groupwise_userid.eml", recipient: "thomas.berg@gw.example.com", diagnostic: "User not on post office",
            messageID: "gw-951.thomas@sender.example"),
        // Exchange naming the recipient only by display name in its text; the report gives Status 5.1.0 and no Diagnostic-Code.
        CorpusCase(
            file: "exchange_display_name.eml", recipient: "jane.doe@example.com", status: "5.1.0",
            diagnostic: "The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message. If the problem continues, please contact your helpdesk.",
            messageID: "ex-961.jane@sender.example"),
        // hMailServer (source/Server/SMTP/SMTPDeliverer.cpp, SMTPClientConnection.cpp, ExternalDelivery.cpp, LocalDelivery.cpp):
        // the address, then "Error Type: SMTP" and the remote reply or hMailServer's own description below it.
        CorpusCase(
            file: "hmailserver_remote.eml", recipient: "nils.berg@example.se", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <nils.berg@example.se>: Recipient address rejected: User unknown in virtual mailbox table"),
        CorpusCase(
            file: "hmailserver_no_mx.eml", recipient: "ola@typo-domain.example",
            diagnostic: "Error Type: SMTP Error Description: No mail servers appear to exists for the recipient's address. Additional information: Please check that you have not misspelled the recipient's email address."),
        CorpusCase(
            file: "hmailserver_inbox_full.eml", recipient: "petra@sender.example",
            diagnostic: "Error Type: SMTP Error Description: Inbox is full Additional information: The recipients inbox is full."),
        // masqmail's German template (tpl/failmsg.tpl.de): the address under the heading, the reply under "while connected with".
        CorpusCase(
            file: "masqmail_de.eml", recipient: "uwe.kraus@example.de", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <uwe.kraus@example.de>: Recipient address rejected: User unknown in local recipient table",
            messageID: "mq-981.uwe@sender.example"),
        // imail (github.com/midoks/imail conf/tpl/return_to_sender_html.tpl): "系统退信", HTML only, base64.
        CorpusCase(
            file: "imail_zh.eml", recipient: "li.na@example.cn", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <li.na@example.cn>: Recipient address rejected: User unknown in virtual mailbox table"),
        // dma's DNS failure: the reason is the paragraph under "There was an error delivering your mail to <…>." (dma net.c).
        CorpusCase(
            file: "dma_dns_failure.eml", recipient: "lena@no-such-host.example",
            diagnostic: "DNS lookup failure: host no-such-host.example not found", messageID: "dma-302.lena@sender.example"),
        // Coremail-style notice, base64 UTF-8: `收件人：addr` in a field block, the reason under "退信原因：".
        CorpusCase(
            file: "coremail_account_disabled.eml", recipient: "li.wei@mail.example.cn",
            diagnostic: "收件人帐号被禁用 (The recipient's account has been disabled)"),
        // Tencent Exmail-style notice in GBK: the bare address, the reason after "原因：" on its line.
        CorpusCase(
            file: "exmail_account_frozen_gbk.eml", recipient: "zhang.min@corp.example.com.cn",
            diagnostic: "该账户已被冻结，无法接收邮件。", messageID: "inv-11.zhang@sender.example"),
        // Domino's router (IBM Domino 8.5 help, "domain failure"): the reason under "Failure Reasons", the address below it.
        CorpusCase(
            file: "domino_no_route.eml", recipient: "karin.holm@exampel.com",
            diagnostic: "No route found to domain exampel.com from server HUB01/ACME. Check Server, Connection and Domain documents in Domino Directory.",
            messageID: "dn-507.karin@sender.example"),
        // Mailman 2.1 templates/en/bounce.txt: the member, with the attached qmail bounce's reason.
        CorpusCase(
            file: "mailman_bounce_action.eml", recipient: "olaf.berg@example.net", status: "5.1.1",
            diagnostic: "Sorry, no mailbox here by that name. (#5.1.1)"),
        // Postfix smtp_addr.c: "Host or domain name not found. Name service error for name=… type=A: Host not found", 5.4.4.
        CorpusCase(
            file: "postfix_host_not_found.eml", recipient: "petra.lund@gmial.example", status: "5.4.4",
            diagnostic: "Host or domain name not found. Name service error for name=gmial.example type=A: Host not found",
            messageID: "pf-44.petra@sender.example"),
        // XMail 1.27 QueueUtils.cpp: retries ran out; the message log's last SMTP-Error is the reply.
        CorpusCase(
            file: "xmail_max_attempts.eml", recipient: "ivan.petrov@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <ivan.petrov@example.net>... User unknown", messageID: "xm-9.ivan@sender.example"),
    ]

    @Test(arguments: cases)
    func readsTheFailedRecipient(_ expected: CorpusCase) throws {
        try expected.expectReadFromItsFixture()
    }

    /// Notices naming several recipients (or a complaint): every event, with all its fields.
    static let multiRecipientCases: [MultiRecipientCase] = [
        // The delivery-status part gives only `Status:`; the replies are in the notice above it, and the
        // generic 5.0.0 gives way to the reply's own 5.1.1.
        MultiRecipientCase(file: "opensmtpd.eml", messageID: "os-324.team@sender.example", events: [
            .init(recipient: "elias@example.org", status: "5.1.1", code: 550,
                  diagnostic: "550 5.1.1 <elias@example.org>: Recipient address rejected: User unknown"),
            .init(recipient: "fiona@example.org", status: "5.4.7", diagnostic: "Envelope expired"),
        ]),
        // Report groups not separated by blank lines: the user-unknown behind the first group is kept.
        MultiRecipientCase(file: "dsn_no_blank_lines.eml", messageID: "nb-328.list@sender.example", events: [
            .init(recipient: "jack@example.com", status: "4.4.7", code: 421, diagnostic: "421 4.4.7 Message expired"),
            .init(recipient: "kate@example.com", status: "5.1.1", code: 550, diagnostic: "550 5.1.1 <kate@example.com>: User unknown"),
        ]),
        MultiRecipientCase(file: "exchange_2003_display_names.eml", messageID: "ex-2003.q4@sender.example", events: [
            .init(recipient: "lena.brandt@corp.example.com", status: "5.1.0",
                  diagnostic: "The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address. <exch01.corp.example.com #5.1.0>"),
            .init(recipient: "tomas.weber@corp.example.com", status: "5.1.0",
                  diagnostic: "The e-mail address could not be found.  Perhaps the recipient moved to a different e-mail organization, or there was a mistake in the address.  Check the address and try again. <exch01.corp.example.com #5.1.0>"),
        ]),
        MultiRecipientCase(file: "exchange_2003_relay_denied.eml", messageID: "ex-relay-1@sender.example", events: [
            .init(recipient: "nina.koch@partner.example.com", status: "5.5.0", code: 554,
                  diagnostic: "554 <nina.koch@partner.example.com>: Relay access denied", remoteMTA: "exch.example.org"),
        ]),
        MultiRecipientCase(file: "sendmail_transcript_summary.eml", messageID: "sm-2@sender.example", events: [
            .init(recipient: "sara@example.net", status: "5.1.1", code: 550, diagnostic: "550 5.1.1 sara@example.net... User unknown"),
        ]),
        MultiRecipientCase(file: "postfix_old_three_recipients.eml", messageID: "pf-old-7.list@sender.example", events: [
            .init(recipient: "g.ricci@example.it", code: 550, diagnostic: "550 <g.ricci@example.it>... User unknown", remoteMTA: "mx1.example.it"),
            .init(recipient: "l.conti@example.it", code: 550, diagnostic: "550 <l.conti@example.it>... User unknown", remoteMTA: "mx1.example.it"),
            .init(recipient: "s.moretti@exmaple.it", diagnostic: "Name service error for name=exmaple.it type=A: Host not found"),
        ]),
        // masqmail prints one error message under the list of recipients: each shares it.
        MultiRecipientCase(file: "masqmail_de_two_recipients.eml", messageID: "mq-1130.verein@sender.example", events: [
            .init(recipient: "h.vogt@example.de", status: "5.1.1", code: 550, diagnostic: "550 5.1.1 <m.kranz@example.de>... User unknown"),
            .init(recipient: "m.kranz@example.de", status: "5.1.1", code: 550, diagnostic: "550 5.1.1 <m.kranz@example.de>... User unknown"),
        ]),
        MultiRecipientCase(file: "groupwise_addresses.eml", messageID: "gw-952.anna@sender.example", events: [
            .init(recipient: "anna.lind@example.net", diagnostic: "user not found"),
            .init(recipient: "bo.ek@no-such-host.example", diagnostic: "host not found"),
        ]),
        // A Hotmail / Outlook.com JMRP complaint carries no message/feedback-report part.
        MultiRecipientCase(file: "jmrp.eml", messageID: "jm-327.ines@sender.example", events: [
            .init(kind: .complaint, recipient: "ines@hotmail.example", diagnostic: "complaint: feedback type abuse"),
        ]),
        MultiRecipientCase(file: "arf.eml", messageID: "campaign-77.leo@sender.example", events: [
            .init(kind: .complaint, recipient: "leo@example.com", diagnostic: "complaint: feedback type abuse, reported by SomeGenerator/1.0",
                  remoteMTA: "mail.feedback.example.com"),
        ]),
    ]

    @Test(arguments: multiRecipientCases)
    func readsEveryRecipientWithItsOwnFields(_ expected: MultiRecipientCase) throws {
        let events = parseMessage(try Fixtures.bytes(expected.file)).events
        #expect(events.map(\.recipient) == expected.events.map(\.recipient))
        for (event, wanted) in zip(events, expected.events) {
            #expect(event.kind == wanted.kind, "\(wanted.recipient)")
            #expect(event.enhancedStatus == wanted.status, "\(wanted.recipient)")
            #expect(event.smtpCode == wanted.code, "\(wanted.recipient)")
            #expect(event.diagnostic == wanted.diagnostic, "\(wanted.recipient)")
            #expect(event.remoteMTA == wanted.remoteMTA, "\(wanted.recipient)")
            #expect(event.messageID == expected.messageID, "\(wanted.recipient)")
        }
        #expect(Set(events.map(\.sourceKey)).count == events.count)
    }

    @Test func crlfAndLFCopiesOfAQmailBounceReadTheSame() throws {
        let lf = try Fixtures.bytes("qmail.eml").filter { $0 != 13 }
        let crlf = String(decoding: lf, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
        let fromLF = try #require(parseMessage(lf).events.first)
        let fromCRLF = try #require(parseMessage(Array(crlf.utf8)).events.first)
        #expect(fromCRLF.recipient == fromLF.recipient)
        #expect(fromCRLF.diagnostic == fromLF.diagnostic)
        #expect(fromCRLF.smtpCode == 550)
    }
}

/// The events one notice must give, in order.
struct MultiRecipientCase: Sendable, CustomTestStringConvertible {
    struct Event: Sendable {
        var kind: EventKind = .bounce
        var recipient: String
        var status: String?
        var code: Int?
        var diagnostic: String
        var remoteMTA: String?
    }

    var file: String
    var messageID: String?
    var events: [Event]

    var testDescription: String { file }
}
