using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignatureIntegrity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "invalidated_at",
                table: "signatures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "invalidated_by_id",
                table: "signatures",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "invalidation_id",
                table: "signatures",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "invalidation_reason",
                table: "signatures",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "signature_invalidations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    by_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    criteria = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    petition_id = table.Column<long>(type: "bigint", nullable: true),
                    confirmed_count = table.Column<int>(type: "integer", nullable: false),
                    pending_count = table.Column<int>(type: "integer", nullable: false),
                    undone_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    undone_by_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signature_invalidations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trending_findings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    petition_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    value = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trending_findings", x => x.id);
                    table.ForeignKey(
                        name: "fk_trending_findings_petitions_petition_id",
                        column: x => x.petition_id,
                        principalTable: "petitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_signatures_created_at",
                table: "signatures",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_signatures_invalidation_id",
                table: "signatures",
                column: "invalidation_id",
                filter: "invalidation_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_signature_invalidations_at",
                table: "signature_invalidations",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_trending_findings_last_seen_at",
                table: "trending_findings",
                column: "last_seen_at");

            migrationBuilder.CreateIndex(
                name: "ix_trending_findings_petition_id_kind_value",
                table: "trending_findings",
                columns: new[] { "petition_id", "kind", "value" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_signatures_signature_invalidations_invalidation_id",
                table: "signatures",
                column: "invalidation_id",
                principalTable: "signature_invalidations",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_signatures_signature_invalidations_invalidation_id",
                table: "signatures");

            migrationBuilder.DropTable(
                name: "signature_invalidations");

            migrationBuilder.DropTable(
                name: "trending_findings");

            migrationBuilder.DropIndex(
                name: "ix_signatures_created_at",
                table: "signatures");

            migrationBuilder.DropIndex(
                name: "ix_signatures_invalidation_id",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "invalidated_at",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "invalidated_by_id",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "invalidation_id",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "invalidation_reason",
                table: "signatures");
        }
    }
}
