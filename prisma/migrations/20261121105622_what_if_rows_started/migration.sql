-- AlterTable
ALTER TABLE "WhatIfReport" ADD COLUMN     "rowsStartedAt" TIMESTAMP(3);
