-- Legal team members' titles (xiafang_core::sync::LegalTitle): judge, prosecutor, police
-- officer, lawyer, mediator, counsellor. NULL for every other role.
ALTER TABLE accounts ADD COLUMN legal_title TEXT;
