-- 002_accounts.sql: accounts opened by a signed carta responsiva, and the signed cartas.

-- pending: signed in once, carta not signed yet; awaiting: carta signed, an administrator
-- must approve (Accounts.RequireApproval); active; disabled: cannot sign in.
ALTER TABLE users DROP CONSTRAINT users_status_check;
UPDATE users SET status = 'disabled' WHERE status = 'suspended';
ALTER TABLE users ADD CONSTRAINT users_status_check
	CHECK (status IN ('pending', 'awaiting', 'active', 'disabled'));
ALTER TABLE users ADD COLUMN curp text CHECK (length(curp) <= 18);
ALTER TABLE users ADD COLUMN approved_by bigint REFERENCES users (id);
ALTER TABLE users ADD COLUMN approved_at timestamptz;
CREATE INDEX users_status ON users (status) WHERE status IN ('pending', 'awaiting');

-- The exact text signed, and a detached CMS (PKCS#7) signature that `openssl cms -verify`
-- accepts against the CA: evidence that stands without Sekkan.
CREATE TABLE cartas (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id),
	signed_text	text NOT NULL,
	cms		bytea NOT NULL,
	certificate	bytea NOT NULL,
	cert_no		text NOT NULL,
	signed_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cartas_user ON cartas (user_id, signed_at);

-- HR may renumber an employee: the account follows its directory row.
ALTER TABLE users DROP CONSTRAINT users_employee_no_fkey;
ALTER TABLE users ADD CONSTRAINT users_employee_no_fkey
	FOREIGN KEY (employee_no) REFERENCES directory (employee_no) ON UPDATE CASCADE ON DELETE SET NULL;
