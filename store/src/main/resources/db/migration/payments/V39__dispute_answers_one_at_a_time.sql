-- When an answer to the dispute (evidence, or accepting it) was last sent to Stripe and is taken to be on its way:
-- another one is refused meanwhile (payments/disputes/Disputes.claim).
ALTER TABLE disputes ADD COLUMN answering_since TIMESTAMP;
