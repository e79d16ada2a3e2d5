using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignerPrivacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "anonymized_at",
                table: "signatures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "withdrawn_at",
                table: "signatures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "anonymized_at",
                table: "petitions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "signer_access_links",
                columns: table => new
                {
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    normalized_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signer_access_links", x => x.token_hash);
                });

            migrationBuilder.CreateIndex(
                name: "ix_signatures_normalized_email",
                table: "signatures",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "ix_signer_access_links_expires_at",
                table: "signer_access_links",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "signer_access_links");

            migrationBuilder.DropIndex(
                name: "ix_signatures_normalized_email",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "anonymized_at",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "withdrawn_at",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "anonymized_at",
                table: "petitions");
        }
    }
}
