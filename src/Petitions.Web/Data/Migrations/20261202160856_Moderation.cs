using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Moderation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "public_hidden_at",
                table: "signatures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "moderated_at",
                table: "petitions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "moderation_note",
                table: "petitions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "moderation_reason",
                table: "petitions",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status_before_hidden",
                table: "petitions",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "petition_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    petition_id = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    details = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    ip_address = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_by_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_petition_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_petition_reports_petitions_petition_id",
                        column: x => x.petition_id,
                        principalTable: "petitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_petitions_moderation",
                table: "petitions",
                column: "status",
                filter: "status IN ('AwaitingModeration', 'Hidden')");

            migrationBuilder.CreateIndex(
                name: "ix_petition_reports_open",
                table: "petition_reports",
                column: "created_at",
                filter: "closed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_petition_reports_open_per_ip",
                table: "petition_reports",
                columns: new[] { "petition_id", "ip_address" },
                unique: true,
                filter: "closed_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "petition_reports");

            migrationBuilder.DropIndex(
                name: "ix_petitions_moderation",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "public_hidden_at",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "moderated_at",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "moderation_note",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "moderation_reason",
                table: "petitions");

            migrationBuilder.DropColumn(
                name: "status_before_hidden",
                table: "petitions");
        }
    }
}
