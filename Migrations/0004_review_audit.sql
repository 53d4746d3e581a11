-- Operators' review decisions on held suppressions are audited like any other manual change.
ALTER TABLE suppression_audit DROP CONSTRAINT suppression_audit_action_check;
ALTER TABLE suppression_audit ADD CONSTRAINT suppression_audit_action_check
    CHECK (action IN ('add', 'remove', 'import', 'review_release', 'review_discard'));
