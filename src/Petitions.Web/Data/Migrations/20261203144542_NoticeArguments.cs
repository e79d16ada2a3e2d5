using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class NoticeArguments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "subject",
                table: "notification_jobs",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(300)",
                oldMaxLength: 300);

            migrationBuilder.AlterColumn<string>(
                name: "body_text",
                table: "notification_jobs",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "body_html",
                table: "notification_jobs",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<string>(
                name: "arguments",
                table: "notification_jobs",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "update_id",
                table: "notification_jobs",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "petition_update_translations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    update_id = table.Column<long>(type: "bigint", nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    body_html = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    edited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_petition_update_translations", x => x.id);
                    table.ForeignKey(
                        name: "fk_petition_update_translations_petition_updates_update_id",
                        column: x => x.update_id,
                        principalTable: "petition_updates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notification_jobs_update_id",
                table: "notification_jobs",
                column: "update_id");

            migrationBuilder.CreateIndex(
                name: "ix_petition_update_translations_update_id_language",
                table: "petition_update_translations",
                columns: new[] { "update_id", "language" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_notification_jobs_petition_updates_update_id",
                table: "notification_jobs",
                column: "update_id",
                principalTable: "petition_updates",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_notification_jobs_petition_updates_update_id",
                table: "notification_jobs");

            migrationBuilder.DropTable(
                name: "petition_update_translations");

            migrationBuilder.DropIndex(
                name: "ix_notification_jobs_update_id",
                table: "notification_jobs");

            migrationBuilder.DropColumn(
                name: "arguments",
                table: "notification_jobs");

            migrationBuilder.DropColumn(
                name: "update_id",
                table: "notification_jobs");

            migrationBuilder.AlterColumn<string>(
                name: "subject",
                table: "notification_jobs",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(300)",
                oldMaxLength: 300,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "body_text",
                table: "notification_jobs",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "body_html",
                table: "notification_jobs",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);
        }
    }
}
