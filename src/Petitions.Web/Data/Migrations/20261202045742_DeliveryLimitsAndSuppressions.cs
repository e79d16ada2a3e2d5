using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Petitions.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryLimitsAndSuppressions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "delivered_by_id",
                table: "deliveries",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "email_suppressions",
                columns: table => new
                {
                    address_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_suppressions", x => x.address_hash);
                });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_delivered_by_id_delivered_at",
                table: "deliveries",
                columns: new[] { "delivered_by_id", "delivered_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "email_suppressions");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_delivered_by_id_delivered_at",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "delivered_by_id",
                table: "deliveries");
        }
    }
}
