-- Legal team members' titles (xiafang_core::account::LegalTitle): judge, prosecutor, police
-- officer, lawyer, mediator, counsellor. NULL for every other role.
ALTER TABLE accounts ADD COLUMN legal_title TEXT;
