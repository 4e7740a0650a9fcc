CREATE TABLE "task_list_versions" (
	"user_id" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task_list_versions" ADD CONSTRAINT "task_list_versions_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every user who already has tasks gets a version; from now on the trigger below keeps it. (An UPDATE or
-- DELETE only bumps an existing row, so it cannot re-create the row of a user being deleted.)
INSERT INTO "task_list_versions" ("user_id", "version") SELECT DISTINCT "user_id", 1 FROM "tasks";
--> statement-breakpoint
CREATE FUNCTION "bump_task_list_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO "task_list_versions" ("user_id", "version") VALUES (NEW."user_id", 1)
			ON CONFLICT ("user_id") DO UPDATE SET "version" = "task_list_versions"."version" + 1;
	ELSE
		UPDATE "task_list_versions" SET "version" = "version" + 1 WHERE "user_id" = OLD."user_id";
		IF TG_OP = 'UPDATE' AND NEW."user_id" IS DISTINCT FROM OLD."user_id" THEN
			INSERT INTO "task_list_versions" ("user_id", "version") VALUES (NEW."user_id", 1)
				ON CONFLICT ("user_id") DO UPDATE SET "version" = "task_list_versions"."version" + 1;
		END IF;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tasks_bump_task_list_version" AFTER INSERT OR UPDATE OR DELETE ON "tasks"
	FOR EACH ROW EXECUTE FUNCTION "bump_task_list_version"();
