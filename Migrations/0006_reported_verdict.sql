-- What a sending service (Amazon SES, SendGrid, Mailgun, Postmark, SparkPost) itself concluded about an
-- event it reported, e.g. 'ses: Permanent bounce (General)'. Written by `bounceplan ingest webhook`,
-- shown by `bounceplan explain` beside bounceplan's own decision; never read to classify (the server's
-- reply in `diagnostic` is the evidence). NULL for events from mail, logs or the mailer itself.
ALTER TABLE bounce_events ADD COLUMN reported_verdict text;
