-- Conversations get a stored title: the first user message on one line, cut to 48 characters
-- (src/conversations/title.ts). Existing rows are filled from their first user message here.
ALTER TABLE "conversations" ADD COLUMN "title" text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE "conversations" AS c SET "title" = coalesce((
	SELECT CASE WHEN char_length(line) > 48 THEN left(line, 47) || '…' ELSE line END
	FROM (
		SELECT btrim(regexp_replace(m."content", '\s+', ' ', 'g')) AS line
		FROM "messages" AS m
		WHERE m."conversation_id" = c."id" AND m."role" = 'user'
		ORDER BY m."id"
		LIMIT 1
	) AS first_message
), 'New conversation');--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "title" DROP DEFAULT;
